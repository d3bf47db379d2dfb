import type { RunEntry } from './run-entry.js';

/**
 * @internal Ended runs, oldest first, at most `max`: a ring buffer over a plain array that grows
 * to `max` and is then overwritten in place, so a steady stream of runs allocates nothing here.
 */
export class RunRing {
  private slots: (RunEntry | undefined)[] = [];
  private start = 0;
  size = 0;

  constructor(readonly max: number) {}

  /** Adds `entry` as the newest, first dropping runs that ended before `horizon` (ms), then the oldest if full. */
  add(entry: RunEntry, horizon: number): void {
    const { max, slots } = this;
    if (max === 0) return;
    // With a clock that moves forward the oldest-ended are at the start.
    while (this.size > 0 && slots[this.start]!.endedAt < horizon) {
      slots[this.start] = undefined;
      if (++this.start === max) this.start = 0;
      this.size--;
    }
    if (this.size === max) {
      slots[this.start] = entry; // overwrites the oldest
      if (++this.start === max) this.start = 0;
      return;
    }
    let at = this.start + this.size;
    if (at >= max) at -= max;
    if (at === slots.length) slots.push(entry);
    else slots[at] = entry;
    this.size++;
  }

  /** The i-th run, oldest first (0 ≤ i < size). */
  at(i: number): RunEntry {
    const at = this.start + i;
    return this.slots[at < this.max ? at : at - this.max]!;
  }

  clear(): void {
    this.slots = [];
    this.start = this.size = 0;
  }
}
