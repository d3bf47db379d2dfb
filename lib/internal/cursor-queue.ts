import { keepShape } from './keep-shape.js';

/**
 * @internal A FIFO of values read through a cursor: no `shift()` (which makes a queue drained
 * item by item quadratic). Slots are not cleared one by one, since writing `undefined` into an
 * array of numbers changes its elements kind and deoptimises the code using it; the array is
 * reset when drained and compacted once the cursor passes half of it.
 */
export class CursorQueue<T> {
  private items: T[] = [];
  private head = 0;

  get isEmpty(): boolean {
    return this.head === this.items.length;
  }

  push(value: T): void {
    this.items.push(value);
  }

  /** Takes the oldest value; call only when not {@link isEmpty}. */
  take(): T {
    const value = this.items[this.head++]!;
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return value;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

keepShape(new CursorQueue()); // see keep-shape.ts
