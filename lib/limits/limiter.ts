import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import { ConcurrencyLimitError } from './concurrency-limit-error.js';
import { WaiterQueue } from './waiter-queue.js';
import { keepShape } from '../internal/keep-shape.js';
import { scheduleDelay } from '../internal/schedule-delay.js';

/**
 * @internal Something waiting in a {@link Limiter}'s queue: an object rather than a closure, so
 * an operator can queue itself again and again without allocating.
 */
export interface SlotWaiter {
  /** Slots this waiter takes when served. */
  readonly occupy: number;
  /** Its position in the queue; -1 when not queued. Owned by the limiter. */
  queueIndex: number;
  /** The slots were taken for it (called synchronously from the limiter). */
  grant(): void;
  /** It can never be served (the limit shrank below its `occupy`); it is out of the queue. */
  fail(error: unknown): void;
}

/**
 * @internal What `acquireSlots` and the operators need of a limit: one {@link Limiter}, or a
 * `LimiterSet` that takes the same slots of several limits together.
 */
export interface SlotPool {
  readonly name: string;
  /** Slots available at once (for a set, the smallest positive limit of its members). */
  readonly limit: number;
  tryAcquire(occupy: number): boolean;
  enqueue(waiter: SlotWaiter): void;
  remove(waiter: SlotWaiter): boolean;
  isFirst(waiter: SlotWaiter): boolean;
  release(occupy: number): void;
  /**
   * When the slots just taken (by `tryAcquire` or a grant, asked synchronously after it) were
   * taken, for {@link SlotPool.releaseHeld}: undefined when nothing decays (no allocation).
   */
  heldSince(): HeldSince;
  /** Gives back `occupy` slots taken at `since` (from {@link SlotPool.heldSince}), less what decay drained of them. */
  releaseHeld(occupy: number, since: HeldSince): void;
}

/**
 * @internal When held slots were taken, on the clock of the limit: one time for a
 * {@link Limiter}, one per member for a `LimiterSet`, undefined when no limit decays (then the
 * whole `occupy` is given back).
 */
export type HeldSince = number | readonly number[] | undefined;

// Decay works in floating point: a slot due back "now" may be 1e-15 short of it.
const EPSILON = 1e-9;

/**
 * @internal The one primitive behind `concurrency`, `rateLimit`, and the `concurrencyLimit` and
 * `rateLimit` operators: `limit` slots, a FIFO queue of waiters (a cursor into an array, never
 * `shift()`), and optional decay (a leaky bucket: held slots drain at `decayPerSecond`).
 * `tryAcquire` answers synchronously, so a caller with a free slot pays no Promise and no queue
 * entry. A queued waiter at the head blocks the ones behind it (strict FIFO: a large `occupy`
 * is not starved by small ones). On a limit with decay, one scheduler action is armed for the
 * time the head waiter fits; none is left once the queue is empty.
 */
export class Limiter implements SlotPool {
  /** Slots held; fractional while decaying. */
  active = 0;
  private updatedAt = 0;
  private readonly queue = new WaiterQueue();
  private pumping = false;
  private decayTimer: Subscription | undefined = undefined;

  constructor(
    readonly name: string,
    public limit: number,
    public decayPerSecond: number,
    public scheduler: SchedulerLike,
  ) {
    if (decayPerSecond > 0) this.updatedAt = scheduler.now();
  }

  /** Waiters in the queue. */
  get waiting(): number {
    return this.queue.size;
  }

  /** Takes `occupy` slots if nobody is queued and they are free. */
  tryAcquire(occupy: number): boolean {
    if (this.waiting > 0) return false;
    if (this.decayPerSecond > 0) this.decay();
    if (this.active + occupy > this.limit + EPSILON || this.limit === 0) return false;
    this.active += occupy;
    return true;
  }

  /** Queues `waiter`; it is granted (maybe at once) when its slots are free and it is first. */
  enqueue(waiter: SlotWaiter): void {
    this.queue.push(waiter);
    this.pump();
  }

  /** Takes `waiter` out of the queue; false when it was not queued (already granted). */
  remove(waiter: SlotWaiter): boolean {
    if (!this.queue.delete(waiter)) return false;
    this.pump();
    return true;
  }

  /**
   * Whether `waiter` is first in line on a limit without decay: then a slot its owner frees
   * would go straight back to it, and the owner may keep the slot instead (no release, no grant).
   */
  isFirst(waiter: SlotWaiter): boolean {
    if (this.decayPerSecond > 0 || waiter.queueIndex < 0) return false;
    return this.queue.peek() === waiter;
  }

  /** Gives back `occupy` slots (on a decaying limit: whatever of them has not drained yet). */
  release(occupy: number): void {
    if (this.decayPerSecond > 0) this.decay();
    this.active = this.active > occupy ? this.active - occupy : 0;
    if (this.queue.size > 0) this.pump();
  }

  /**
   * Gives back `occupy` slots its caller took at `since` (this limiter's `scheduler.now()`) and
   * held until now. On a decaying limit, held slots drain like any other, so only what decay
   * would have left of them is given back (`occupy − slotDecayPerSecond × seconds held`, at
   * least 0); giving back all of it would also free slots other callers took, and let a rate
   * limit pass more than `limit + rate × window`.
   */
  releaseHeld(occupy: number, since: HeldSince): void {
    if (this.decayPerSecond > 0 && typeof since === 'number') {
      const drained = ((this.scheduler.now() - since) * this.decayPerSecond) / 1000;
      if (drained > 0) occupy = drained >= occupy ? 0 : occupy - drained;
    }
    this.release(occupy);
  }

  /** Now on this limit's clock when it decays (the slots just taken were taken now), else undefined. */
  heldSince(): number | undefined {
    return this.decayPerSecond > 0 ? this.scheduler.now() : undefined;
  }

  /** Changes the limit and decay; waiters that can no longer fit fail. */
  update(limit: number, decayPerSecond: number, scheduler: SchedulerLike): void {
    if (this.decayPerSecond > 0) this.decay();
    this.limit = limit;
    this.decayPerSecond = decayPerSecond;
    this.scheduler = scheduler;
    this.updatedAt = decayPerSecond > 0 ? scheduler.now() : 0;
    if (limit > 0) {
      this.queue.deleteWhere(
        (waiter) => waiter.occupy > limit,
        (waiter) => waiter.fail(occupyError(this.name, waiter.occupy, limit)),
      );
    }
    this.pump();
  }

  /**
   * The limit was removed: every waiter is served at once and nothing waits on it again, as
   * calls made after the removal run without it. Holders may still give their slots back.
   */
  lift(): void {
    this.limit = Infinity;
    this.decayPerSecond = 0;
    this.pump();
  }

  private decay(): void {
    const now = this.scheduler.now();
    if (this.active > 0) {
      const drained = ((now - this.updatedAt) * this.decayPerSecond) / 1000;
      this.active = this.active > drained ? this.active - drained : 0;
    }
    this.updatedAt = now;
  }

  /** Serves waiters from the head while their slots are free. Re-entrant calls fold into the running loop. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    let blocked: SlotWaiter | undefined;
    try {
      for (let waiter = this.queue.peek(); waiter !== undefined; waiter = this.queue.peek()) {
        if (this.decayPerSecond > 0) this.decay();
        if (this.active + waiter.occupy > this.limit + EPSILON || this.limit === 0) {
          blocked = waiter;
          break;
        }
        this.active += waiter.occupy;
        this.queue.shift();
        waiter.grant();
      }
    } finally {
      this.pumping = false;
    }
    this.queue.tidy();
    this.armDecay(blocked);
  }

  /** On a decaying limit, wakes the queue when the blocked head waiter's slots have drained. */
  private armDecay(blocked: SlotWaiter | undefined): void {
    this.decayTimer?.unsubscribe();
    this.decayTimer = undefined;
    if (blocked === undefined || this.decayPerSecond <= 0 || this.limit === 0) return;
    const ms = ((this.active + blocked.occupy - this.limit) * 1000) / this.decayPerSecond;
    this.decayTimer = scheduleDelay(
      this.scheduler,
      () => {
        this.decayTimer = undefined;
        this.pump();
      },
      // Whole milliseconds: in floating point, 1 s of decay can come out as 1000.0000000000001 ms.
      Math.max(0, Math.ceil(ms - 1e-6)),
    );
  }
}

/** @internal The error for asking more slots than a limit has. */
export function occupyError(name: string, occupy: number, limit: number): ConcurrencyLimitError {
  return new ConcurrencyLimitError(
    name,
    `Concurrency limit '${name}': cannot occupy ${occupy} slot${occupy === 1 ? '' : 's'}, the limit is ${limit}`,
  );
}

keepShape(new Limiter('keep-shape', 1, 0, asyncScheduler)); // see keep-shape.ts
