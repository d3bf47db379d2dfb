import type { Limiter, SlotWaiter } from './limiter.js';
import { createConcurrencyLimit, deleteConcurrencyLimit, limiterFor } from './registry.js';
import { shared } from '../internal/shared.js';

const TAG_PREFIX = 'tag:';
const limitedTags = shared('limitedTags', () => new Set<string>());

/**
 * Caps how many task runs carrying `tag` run at once, process-wide (Prefect's tag-based task
 * concurrency limits). Runs over the cap wait in a SCHEDULED state named
 * `AwaitingConcurrencySlot`, first come first served, and hold their slot for their whole run,
 * retry waits included. `null` removes the cap. The limit is the global limit `tag:<tag>`.
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

/**
 * @internal Takes one slot of each limiter, in order, waiting in line where one is full.
 * Calls `onWait` once if it has to wait, `onReady` when it holds them all, `onFail` if a limit
 * shrinks to 0. Returns a handle whose `release()` gives back what is held and leaves the line.
 */
export function acquireTagSlots(
  limiters: readonly Limiter[],
  onWait: () => void,
  onReady: () => void,
  onFail: (error: unknown) => void,
): { release(): void } {
  let held = 0;
  let waiting: (SlotWaiter & { limiter: Limiter }) | undefined;
  let notified = false;
  const next = (): void => {
    while (held < limiters.length) {
      const limiter = limiters[held]!;
      if (!limiter.tryAcquire(1)) {
        if (!notified) {
          notified = true;
          onWait();
        }
        waiting = {
          limiter,
          occupy: 1,
          queueIndex: -1,
          grant: () => {
            waiting = undefined;
            held++;
            next();
          },
          fail: (error) => {
            waiting = undefined;
            onFail(error);
          },
        };
        limiter.enqueue(waiting);
        return;
      }
      held++;
    }
    onReady();
  };
  next();
  return {
    release(): void {
      if (waiting !== undefined) waiting.limiter.remove(waiting);
      waiting = undefined;
      for (let i = 0; i < held; i++) limiters[i]!.release(1);
      held = 0;
    },
  };
}
