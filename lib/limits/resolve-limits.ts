import { report } from '../internal/report.js';
import { isRetiredScheduler } from '../internal/retired-schedulers.js';
import { ConcurrencyLimitError } from './concurrency-limit-error.js';
import { occupyError, type Limiter, type SlotPool } from './limiter.js';
import { LimiterSet } from './limiter-set.js';
import { limiterFor, lookupLimiter } from './registry.js';

/**
 * @internal The limits behind `names` for a call of `caller`: one name (or a list naming one
 * limit) is that {@link Limiter}; several are a {@link LimiterSet} over the distinct names in
 * sorted order. Unknown names reject with `strict`, else are reported once and left out;
 * undefined means nothing to hold (run unlimited).
 */
export function resolveLimits(
  caller: string,
  names: string | readonly string[],
  strict: boolean,
): SlotPool | undefined {
  if (typeof names === 'string') {
    const limiter = lookupLimiter(caller, names, strict);
    if (limiter !== undefined) assertLiveClock(caller, limiter);
    return limiter;
  }
  const sorted = checkNames(caller, names);
  const members: Limiter[] = [];
  const unknown: string[] = [];
  for (const name of sorted) {
    const limiter = limiterFor(name);
    if (limiter === undefined) unknown.push(name);
    else members.push(limiter);
  }
  if (unknown.length > 0) {
    const error = new ConcurrencyLimitError(
      unknown[0]!,
      `${caller}: there is no concurrency limit named ${unknown.map((n) => `'${n}'`).join(', ')} (create it with createConcurrencyLimit)`,
    );
    if (strict) throw error;
    report(`${error.message}; running without ${unknown.length === 1 ? 'it' : 'them'}`, error);
  }
  for (const member of members) assertLiveClock(caller, member);
  if (members.length === 0) return undefined;
  return members.length === 1 ? members[0] : new LimiterSet(members);
}

/** The distinct names, sorted; every one must be a non-empty string. */
export function checkNames(caller: string, names: readonly string[]): string[] {
  if (!Array.isArray(names)) {
    throw new TypeError(`${caller}: expected a limit name or a list of names, got ${String(names)}`);
  }
  for (const name of names) {
    if (typeof name !== 'string' || name === '') {
      throw new TypeError(
        `${caller}: expected every limit name to be a non-empty string, got ${String(name)}`,
      );
    }
  }
  return [...new Set(names)].sort();
}

/** `names` as written in messages: `'a'`, or `['a', 'b']` for a list. */
export function namesLabel(names: string | readonly string[]): string {
  return typeof names === 'string' ? `'${names}'` : `[${names.map((n) => `'${n}'`).join(', ')}]`;
}

/** The error for `occupy` above the (positive) limit of any member, naming that member. */
export function occupyProblem(pool: SlotPool, occupy: number): ConcurrencyLimitError | undefined {
  const members = pool instanceof LimiterSet ? pool.members : [pool as Limiter];
  for (const m of members) if (m.limit > 0 && occupy > m.limit) return occupyError(m.name, occupy, m.limit);
  return undefined;
}

/**
 * Refuses a decaying limit whose clock is dead: one created (or last updated) inside a
 * `withVirtualTime` call that has ended. Its slots would never drain, so a caller finding it
 * full would wait forever. A limit without decay schedules nothing on its clock and keeps working.
 */
function assertLiveClock(caller: string, limiter: Limiter): void {
  if (!(limiter.decayPerSecond > 0) || !isRetiredScheduler(limiter.scheduler)) return;
  const name = limiter.name;
  throw new ConcurrencyLimitError(
    name,
    `${caller}: concurrency limit '${name}' was created (or last updated) inside withVirtualTime, whose ` +
      `virtual clock has ended, so its slots would never decay; create it again outside ` +
      `(createConcurrencyLimit('${name}', { limit, slotDecayPerSecond })), or use it only inside that call`,
  );
}
