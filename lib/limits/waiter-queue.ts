import type { SlotWaiter } from './limiter.js';

/**
 * @internal The FIFO line of a {@link Limiter} or a `LimiterSet`: an array read through a cursor
 * (never `shift()`, which is O(n) per item), where a waiter leaving from the middle leaves a hole
 * that the cursor skips. Each waiter knows its index, so leaving is O(1).
 */
export class WaiterQueue {
  private items: (SlotWaiter | undefined)[] = [];
  private head = 0;
  /** Waiters in the line. */
  size = 0;

  push(waiter: SlotWaiter): void {
    waiter.queueIndex = this.items.length;
    this.items.push(waiter);
    this.size++;
  }

  /** Takes `waiter` out of the line; false when it was not in it. */
  delete(waiter: SlotWaiter): boolean {
    const index = waiter.queueIndex;
    if (index < 0 || this.items[index] !== waiter) return false;
    this.items[index] = undefined;
    waiter.queueIndex = -1;
    this.size--;
    return true;
  }

  /** The first waiter in line, or undefined when the line is empty. */
  peek(): SlotWaiter | undefined {
    const items = this.items;
    while (this.head < items.length && items[this.head] === undefined) this.head++;
    return items[this.head];
  }

  /** Takes the first waiter out of the line (the one {@link peek} returned). */
  shift(): SlotWaiter {
    const waiter = this.peek()!;
    this.items[this.head++] = undefined;
    waiter.queueIndex = -1;
    this.size--;
    return waiter;
  }

  /** Takes out, in line order, every waiter `test` accepts, and hands each to `removed`. */
  deleteWhere(test: (waiter: SlotWaiter) => boolean, removed: (waiter: SlotWaiter) => void): void {
    for (let i = this.head; i < this.items.length; i++) {
      const waiter = this.items[i];
      if (waiter === undefined || !test(waiter)) continue;
      this.delete(waiter);
      removed(waiter);
    }
  }

  /** Gives back the space of waiters served or gone: all of it once the line is empty. */
  tidy(): void {
    if (this.size === 0) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      const live = this.items.slice(this.head);
      for (let i = 0; i < live.length; i++) if (live[i] !== undefined) live[i]!.queueIndex = i;
      this.items = live;
      this.head = 0;
    }
  }
}
