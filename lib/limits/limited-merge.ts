import { CursorQueue } from '../internal/cursor-queue.js';
import type { SourceSink } from '../internal/source-subscriber.js';
import { asyncScheduler, from, Subscriber, type Observable, type ObservableInput } from 'rxjs';
import { adopt } from '../internal/adopt.js';
import { isThenable } from '../internal/is-thenable.js';
import type { HeldSince, SlotPool, SlotWaiter } from './limiter.js';
import { Limiter } from './limiter.js';
import { keepShape } from '../internal/keep-shape.js';

/** A live inner subscription, in its merge's doubly linked list. */
interface Inner {
  prevInner: Inner | undefined;
  nextInner: Inner | undefined;
  /** When its slots were taken, on a decaying limit (see `SlotPool.heldSince`). */
  readonly since: HeldSince;
  /** Stops it without telling the merge (the merge is tearing down). */
  cancel(): void;
}

/** What an inner needs of its merge. */
interface InnerOwner<R> {
  readonly out: Subscriber<R>;
  innerEnded(inner: Inner): void;
}

/**
 * @internal The body of the `concurrencyLimit` operator: a FIFO buffer with a cursor, a list of live inners, one queue entry at most. When
 * an inner ends and this merge is first in the limiter's line, it keeps the slot for its next
 * value instead of releasing and re-acquiring it; ends during a start are folded into one loop,
 * so synchronous inners do not recurse. On a decaying limit, each inner gives back only what
 * decay has left of its slots (`releaseHeld` with the time it took them), at once.
 */
export class LimitedMerge<T, R> implements SlotWaiter, InnerOwner<R>, SourceSink<T> {
  queueIndex = -1;
  private readonly buffer = new CursorQueue<T>();
  private index = 0;
  private live = 0;
  private sourceDone = false;
  private stopped = false;
  /** Slots of ended inners not yet handed on or released. */
  private freed = 0;
  private draining = false;
  private first: Inner | undefined = undefined;
  /** Live inners that are thenables on a limit without decay (not in the list). */
  private promises = 0;

  constructor(
    readonly out: Subscriber<R>,
    private readonly project: (value: T, index: number) => ObservableInput<unknown>,
    private readonly limiter: SlotPool,
    readonly occupy: number,
  ) {}

  push(value: T): void {
    if (this.buffer.isEmpty && this.queueIndex < 0 && this.limiter.tryAcquire(this.occupy)) {
      this.start(value);
    } else {
      this.buffer.push(value);
      if (this.queueIndex < 0) this.limiter.enqueue(this);
    }
  }

  sourceComplete(): void {
    this.sourceDone = true;
    this.checkDone();
  }

  grant(): void {
    const value = this.buffer.take();
    // Queue again before starting: a synchronous inner's release then serves the next value in the same loop.
    if (!this.buffer.isEmpty) this.limiter.enqueue(this);
    this.start(value);
  }

  fail(error: unknown): void {
    this.out.error(error);
  }

  private start(value: T): void {
    let input: ObservableInput<unknown>;
    try {
      input = this.project(value, this.index++);
    } catch (error) {
      // Error first: tearing down leaves the limiter's queue, so the release grants no new value.
      this.out.error(error);
      this.limiter.release(this.occupy);
      return;
    }
    this.live++;
    // Asked right after the take; undefined when nothing decays, which keeps this path allocation-free.
    const since = this.limiter.heldSince();
    if (isThenable(input)) {
      if (since === undefined) {
        // Thenables need no per-value object: their outcomes are ignored once stopped.
        this.promises++;
        adopt<R>(input, this.onPromiseValue, this.onPromiseError);
      } else {
        // A decaying limit: the inner must remember when it took its slots.
        const inner = new ThenableInner<R>(this, since);
        this.link(inner);
        adopt<R>(input, inner.onValue, inner.onError);
      }
      return;
    }
    const inner = new ObservableInner<R>(this, since);
    this.link(inner);
    (from(input) as Observable<R>).subscribe(inner);
  }

  private link(inner: Inner): void {
    if (this.first !== undefined) {
      inner.nextInner = this.first;
      this.first.prevInner = inner;
    }
    this.first = inner;
  }

  private readonly onPromiseValue = (value: R): void => {
    if (this.stopped) return;
    this.promises--;
    this.out.next(value);
    this.ended(undefined);
  };

  private readonly onPromiseError = (error: unknown): void => {
    if (this.stopped) return;
    this.out.error(error);
  };

  /** An inner ended (completed or errored): unlink it, then hand its slot on or release it. */
  innerEnded(inner: Inner): void {
    if (inner.prevInner !== undefined) inner.prevInner.nextInner = inner.nextInner;
    else this.first = inner.nextInner;
    if (inner.nextInner !== undefined) inner.nextInner.prevInner = inner.prevInner;
    inner.prevInner = inner.nextInner = undefined;
    this.ended(inner.since);
  }

  private ended(since: HeldSince): void {
    this.live--;
    if (since !== undefined) {
      // A decaying limit never hands a slot on (isFirst is false): what is left goes back now.
      this.limiter.releaseHeld(this.occupy, since);
      this.checkDone();
      return;
    }
    this.freed++;
    if (!this.draining) this.drain();
  }

  private drain(): void {
    this.draining = true;
    try {
      while (this.freed > 0) {
        this.freed--;
        if (!this.stopped && !this.buffer.isEmpty && this.limiter.isFirst(this)) {
          const value = this.buffer.take();
          if (this.buffer.isEmpty) this.limiter.remove(this);
          this.start(value);
        } else {
          this.limiter.release(this.occupy);
        }
      }
    } finally {
      this.draining = false;
    }
    this.checkDone();
  }

  private checkDone(): void {
    if (this.sourceDone && !this.stopped && this.live === 0 && this.freed === 0 && this.buffer.isEmpty) {
      this.out.complete();
    }
  }

  /** Leaves the limiter's queue and stops every live inner, giving back its slots. */
  unsubscribe(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.limiter.remove(this);
    this.buffer.clear();
    for (let inner = this.first; inner !== undefined; inner = inner.nextInner) {
      inner.cancel();
      if (inner.since !== undefined) this.limiter.releaseHeld(this.occupy, inner.since);
      else this.freed++;
    }
    this.first = undefined;
    this.freed += this.promises;
    this.promises = 0;
    this.live = 0;
    if (!this.draining) this.drain();
  }
}

/** The inner for anything else `from` accepts. */
class ObservableInner<R> extends Subscriber<R> implements Inner {
  prevInner: Inner | undefined = undefined;
  nextInner: Inner | undefined = undefined;

  constructor(
    private readonly merge: InnerOwner<R>,
    readonly since: HeldSince,
  ) {
    super();
  }

  protected override _next(value: R): void {
    this.merge.out.next(value);
  }

  protected override _error(error: unknown): void {
    // The merge's teardown cancels this inner and gives its slot back.
    this.merge.out.error(error);
    this.unsubscribe();
  }

  protected override _complete(): void {
    this.unsubscribe();
    this.merge.innerEnded(this);
  }

  cancel(): void {
    this.unsubscribe();
  }
}

/** A thenable inner on a decaying limit: in the list, so its slots go back with its own time. */
class ThenableInner<R> implements Inner {
  prevInner: Inner | undefined = undefined;
  nextInner: Inner | undefined = undefined;
  private cancelled = false;

  constructor(
    private readonly merge: InnerOwner<R>,
    readonly since: HeldSince,
  ) {}

  readonly onValue = (value: R): void => {
    if (this.cancelled) return;
    this.merge.out.next(value);
    // A consumer that unsubscribed on this value stopped the merge, which gave the slots back.
    if (this.cancelled) return;
    this.cancelled = true;
    this.merge.innerEnded(this);
  };

  readonly onError = (error: unknown): void => {
    if (this.cancelled) return;
    // The merge's teardown cancels this inner and gives its slots back.
    this.merge.out.error(error);
  };

  cancel(): void {
    this.cancelled = true;
  }
}

// See keep-shape.ts: an idle merge that never receives a value.
keepShape(new LimitedMerge(new Subscriber(), () => [], new Limiter('keep-shape', 1, 0, asyncScheduler), 1));
