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

/** @internal When an entry written at `now` (ms on the engine clock) expires. */
export function expirationAt(now: number, expiration: CacheExpiration): number {
  return typeof expiration === 'number' ? now + expiration * 1000 : add(now, expiration).getTime();
}
