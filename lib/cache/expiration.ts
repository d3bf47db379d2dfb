import type { Duration } from 'date-fns';
import { add } from 'date-fns/add';

/**
 * How long a cache entry stays valid, on the engine clock: seconds, or a date-fns `Duration`
 * (added in calendar terms with date-fns `add`).
 * @example
 * ```ts
 * const daily: CacheExpiration = { days: 1 };
 * const brief: CacheExpiration = 30; // seconds
 * ```
 */
export type CacheExpiration = number | Duration;

/** @internal The last time a `Date` can hold, in ms since the epoch. */
export const MAX_TIME = 8.64e15;

/**
 * @internal When an entry written at `now` (ms on the engine clock) expires: at the latest
 * {@link MAX_TIME} (definitions refuse expirations that reach past it from the wall clock; an
 * engine clock set far ahead may still get there).
 */
export function expirationAt(now: number, expiration: CacheExpiration): number {
  const at = typeof expiration === 'number' ? now + expiration * 1000 : add(now, expiration).getTime();
  return at < MAX_TIME ? at : MAX_TIME;
}
