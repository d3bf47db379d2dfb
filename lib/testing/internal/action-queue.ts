/** @internal What an {@link ActionQueue} holds: something to run when its entry comes due. */
export interface QueuedAction {
  execute(entry: QueueEntry): void;
  /** Called when the queue drops the action without running it ({@link ActionQueue.clear}). */
  dropped?(): void;
}

/** @internal */
export interface QueueEntry {
  readonly due: number;
  readonly seq: number;
  readonly action: QueuedAction;
  removed: boolean;
}

/**
 * @internal A binary min-heap ordered by due time, then insertion order. Removal only marks
 * an entry (O(1)); marked entries are dropped when they reach the top, and the heap is
 * compacted when they outnumber the live ones, so rescheduling in a loop stays bounded.
 */
export class ActionQueue {
  private heap: QueueEntry[] = [];
  private seq = 0;
  private live = 0;

  get size(): number {
    return this.live;
  }

  add(action: QueuedAction, due: number): QueueEntry {
    const entry: QueueEntry = { due, seq: this.seq++, action, removed: false };
    this.heap.push(entry);
    this.up(this.heap.length - 1);
    this.live++;
    return entry;
  }

  remove(entry: { readonly due: number }): void {
    const e = entry as QueueEntry;
    if (e.removed) return;
    e.removed = true;
    this.live--;
    if (this.heap.length > 64 && this.heap.length > 2 * this.live) this.compact();
  }

  peek(): QueueEntry | undefined {
    this.dropRemovedTop();
    return this.heap[0];
  }

  /** Takes the earliest live entry off the queue. */
  pop(): QueueEntry | undefined {
    const top = this.peek();
    if (top === undefined) return undefined;
    this.removeTop();
    top.removed = true;
    this.live--;
    return top;
  }

  clear(): void {
    for (const entry of this.heap) {
      if (!entry.removed) entry.action.dropped?.();
      entry.removed = true;
    }
    this.heap = [];
    this.live = 0;
  }

  private dropRemovedTop(): void {
    while (this.heap.length > 0 && this.heap[0]!.removed) this.removeTop();
  }

  private removeTop(): void {
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
  }

  private compact(): void {
    this.heap = this.heap.filter((e) => !e.removed);
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private up(i: number): void {
    const heap = this.heap;
    const entry = heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
  }

  private down(i: number): void {
    const heap = this.heap;
    const entry = heap[i]!;
    const n = heap.length;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && before(heap[child + 1]!, heap[child]!)) child++;
      if (!before(heap[child]!, entry)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = entry;
  }
}

function before(a: QueueEntry, b: QueueEntry): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}
