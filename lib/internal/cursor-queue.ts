import { keepShape } from './keep-shape.js';

/** A fixed-size piece of a {@link CursorQueue}: values are appended until it holds {@link CHUNK}. */
interface Chunk<T> {
  readonly items: T[];
  next: Chunk<T> | undefined;
}

/** Values per chunk: large enough to make the chunk's allocation negligible, small enough to bound what a chunk retains. */
const CHUNK = 512;

/**
 * @internal A FIFO as a linked list of chunks read through a cursor. Pushing appends to the
 * last chunk and taking reads the first one, so both are O(1) with no `shift()` (which makes a
 * queue drained item by item quadratic), no copy as the queue grows (one array of 100k values
 * is copied at every growth and allocated outside the young generation) and no compaction. A
 * taken object is cleared from its slot at once; other taken values are not (writing `undefined`
 * into an array of numbers changes its elements kind and deoptimises the code using it): a chunk
 * drops them once it is read through, so at most {@link CHUNK} − 1 taken primitives stay
 * referenced. The last drained chunk is kept as a spare, so a queue that hovers around a chunk
 * boundary does not allocate.
 */
export class CursorQueue<T> {
  private head: Chunk<T> = { items: [], next: undefined };
  private tail: Chunk<T> = this.head;
  /** Index of the next value to take in `head.items`. */
  private cursor = 0;
  private spare: Chunk<T> | undefined = undefined;
  /** Values in the queue. */
  size = 0;

  get isEmpty(): boolean {
    return this.size === 0;
  }

  push(value: T): void {
    let tail = this.tail;
    if (tail.items.length === CHUNK) {
      tail = tail.next = this.spare ?? { items: [], next: undefined };
      this.spare = undefined;
      this.tail = tail;
    }
    tail.items.push(value);
    this.size++;
  }

  /** Takes the oldest value; call only when not {@link isEmpty}. */
  take(): T {
    let head = this.head;
    if (this.cursor === CHUNK) {
      this.head = head.next!;
      head.items.length = 0;
      head.next = undefined;
      this.spare = head;
      head = this.head;
      this.cursor = 0;
    }
    const items = head.items;
    const value = items[this.cursor]!;
    // An object is let go at once (a runner's job holds its run); numbers and strings stay until
    // the chunk is read through, since writing `undefined` over them would change the array's
    // elements kind (see above).
    if (value !== null && (typeof value === 'object' || typeof value === 'function')) {
      items[this.cursor] = undefined as T;
    }
    this.cursor++;
    if (--this.size === 0) {
      // The queue is empty, so head is tail: start it over.
      head.items.length = 0;
      this.cursor = 0;
    }
    return value;
  }

  /** Empties the queue, dropping every value. */
  clear(): void {
    this.head = this.tail = { items: [], next: undefined };
    this.cursor = 0;
    this.spare = undefined;
    this.size = 0;
  }
}

keepShape(new CursorQueue()); // see keep-shape.ts
