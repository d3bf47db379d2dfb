import type { Limiter, SlotWaiter } from './limiter.js';
import { createConcurrencyLimit, deleteConcurrencyLimit, limiterFor } from './registry.js';
import { shared } from '../internal/shared.js';

const TAG_PREFIX = 'tag:';
const limitedTags = shared('limitedTags', () => new Set<string>());

/**
 * Caps how many task runs carrying `tag` run at once, process-wide (Prefect's tag-based task
 * concurrency limits). Runs over the cap wait in a SCHEDULED state named
 * `AwaitingConcurrencySlot`, first come first served, and hold their slot for their whole run,
 * retry waits included. `null` removes the cap: runs waiting for it start at once, without
 * it, as later runs do. The limit is the global limit `tag:<tag>`.
 * @example
 * ```ts
 * setTagConcurrencyLimit('database', 5);
 * const query = task({ tags: ['database'] }, runQuery); // at most 5 at once
 * ```
 */
export function setTagConcurrencyLimit(tag: string, limit: number | null): void {
  if (typeof tag !== 'string' || tag === '') {
    throw new TypeError(`setTagConcurrencyLimit: expected tag to be a non-empty string, got ${String(tag)}`);
  }
  if (limit === null) {
    limitedTags.delete(tag);
    deleteConcurrencyLimit(TAG_PREFIX + tag);
    return;
  }
  createConcurrencyLimit(TAG_PREFIX + tag, { limit });
  limitedTags.add(tag);
}

/**
 * @internal The limiters of a run's limited tags, in tag order (a fixed order, so two runs
 * taking the same tags cannot each hold one and wait for the other's), or undefined when none
 * of its tags is limited. Costs a size check when no tag limit exists.
 */
export function tagLimitersFor(tags: readonly string[]): Limiter[] | undefined {
  if (limitedTags.size === 0 || tags.length === 0) return undefined;
  let limiters: Limiter[] | undefined;
  for (const tag of [...tags].sort()) {
    if (!limitedTags.has(tag)) continue;
    const limiter = limiterFor(TAG_PREFIX + tag);
    if (limiter !== undefined) (limiters ??= []).push(limiter);
  }
  return limiters;
}

/** @internal What a run hears from its {@link TagSlots}. */
export interface TagSlotsOwner {
  /** It has to wait (called once, after it has joined the line, so it may leave it at once). */
  slotsAwaited(): void;
  /** It holds every slot, after waiting. Not called when {@link TagSlots.acquire} returned true. */
  slotsGranted(): void;
  /** A limit can never serve it (it shrank below one slot); it is out of the line. */
  slotsFailed(error: unknown): void;
}

/**
 * @internal One run's slots of its limited tags: one slot of each limiter, taken in order,
 * waiting in line where one is full. The run creates it and keeps it before asking for
 * anything, so whatever calls back (a grant, a listener of its AwaitingConcurrencySlot state
 * that cancels it) finds the handle in place; {@link release} gives back what is held and
 * leaves the line, however the run ends, and a grant that comes after it is given back at once.
 */
export class TagSlots implements SlotWaiter {
  readonly occupy = 1;
  queueIndex = -1;
  private held = 0;
  /** The limiter whose line it is in, if any. */
  private waitingOn: Limiter | undefined = undefined;
  private enqueuing = false;
  private notified = false;
  private released = false;

  constructor(
    private readonly limiters: readonly Limiter[],
    private readonly owner: TagSlotsOwner,
  ) {}

  /**
   * Takes the slots: true when it holds them all now (the owner hears nothing); else the owner
   * hears `slotsAwaited`, then `slotsGranted` or `slotsFailed`, unless it releases first.
   */
  acquire(): boolean {
    return this.take(true);
  }

  /** Gives back the slots held and leaves the line. Idempotent. */
  release(): void {
    this.released = true;
    const waitingOn = this.waitingOn;
    this.waitingOn = undefined;
    if (waitingOn !== undefined) waitingOn.remove(this);
    const held = this.held;
    this.held = 0;
    for (let i = 0; i < held; i++) this.limiters[i]!.release(1);
  }

  /** @internal From the limiter it waits in: its slot was taken for it. */
  grant(): void {
    this.waitingOn = undefined;
    this.held++;
    if (this.released) this.release();
    else if (!this.enqueuing) this.take(false);
  }

  /** @internal From the limiter it waits in: that limit can never serve it. */
  fail(error: unknown): void {
    this.waitingOn = undefined;
    if (!this.released) this.owner.slotsFailed(error);
  }

  private take(sync: boolean): boolean {
    const limiters = this.limiters;
    while (this.held < limiters.length) {
      if (this.released) return false;
      const limiter = limiters[this.held]!;
      if (limiter.tryAcquire(1)) {
        this.held++;
        continue;
      }
      const before = this.held;
      this.waitingOn = limiter;
      this.enqueuing = true;
      try {
        limiter.enqueue(this); // may grant at once: the loop goes on
      } finally {
        this.enqueuing = false;
      }
      if (this.held === before) {
        // In line (or failed, and told so): the owner hears of the wait once it is queued.
        if (this.waitingOn !== undefined && !this.notified) {
          this.notified = true;
          this.owner.slotsAwaited();
        }
        return false;
      }
    }
    if (this.released) return false;
    if (!sync) this.owner.slotsGranted();
    return true;
  }
}
