import { currentFrame } from '../internal/context.js';
import { report } from '../internal/report.js';
import { ConcurrencyLimitError } from './concurrency-limit-error.js';
import { Limiter } from './limiter.js';
import { shared } from '../internal/shared.js';

/** Options of {@link createConcurrencyLimit}. */
export interface ConcurrencyLimitOptions {
  /** Slots available at once; `0` pauses the limit (callers wait until it is raised). */
  limit: number;
  /**
   * Slots given back per second by decay, which makes the limit a rate limit (`rateLimit`).
   * @default 0 (no decay: slots come back only when their holder releases them)
   */
  slotDecayPerSecond?: number;
}

/** A read-only view of a limit, as {@link getConcurrencyLimit} returns it. */
export interface ConcurrencyLimitInfo {
  readonly name: string;
  readonly limit: number;
  readonly slotDecayPerSecond: number;
  /** Slots held now (fractional while decaying). */
  readonly active: number;
  /** Callers waiting for slots. */
  readonly waiting: number;
}

const limits = shared('limits', () => new Map<string, Limiter>());

/**
 * Creates the process-wide limit `name`, or updates it if it exists (its held slots and
 * waiters stay; waiters asking for more slots than the new limit has are rejected). Decay and
 * wait timeouts run on the clock current at creation (or last update): create limits inside
 * `withVirtualTime` to test them in virtual time.
 * @example
 * ```ts
 * createConcurrencyLimit('database', { limit: 10 });
 * createConcurrencyLimit('github-api', { limit: 5, slotDecayPerSecond: 1 }); // 1 call/s, bursts of 5
 * ```
 */
export function createConcurrencyLimit(name: string, options: ConcurrencyLimitOptions): ConcurrencyLimitInfo {
  if (typeof name !== 'string' || name === '') {
    throw new TypeError(
      `createConcurrencyLimit: expected name to be a non-empty string, got ${String(name)}`,
    );
  }
  const { limit, slotDecayPerSecond = 0 } = options ?? ({} as ConcurrencyLimitOptions);
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0) {
    throw new RangeError(
      `createConcurrencyLimit('${name}'): expected limit to be a non-negative integer, got ${String(limit)}`,
    );
  }
  if (
    typeof slotDecayPerSecond !== 'number' ||
    !(slotDecayPerSecond >= 0) ||
    slotDecayPerSecond === Infinity
  ) {
    throw new RangeError(
      `createConcurrencyLimit('${name}'): expected slotDecayPerSecond to be a non-negative finite number, got ${String(slotDecayPerSecond)}`,
    );
  }
  const scheduler = currentFrame().clock.scheduler;
  const existing = limits.get(name);
  if (existing !== undefined) existing.update(limit, slotDecayPerSecond, scheduler);
  else limits.set(name, new Limiter(name, limit, slotDecayPerSecond, scheduler));
  return getConcurrencyLimit(name)!;
}

/**
 * Removes the limit `name`; returns whether it existed. Later calls treat the name as unknown
 * (they run without it), and so do callers waiting for its slots: they go on at once, also from
 * a limit paused at `0`. Callers holding its slots keep running; a limit created again under
 * the same name starts empty.
 * @example
 * ```ts
 * deleteConcurrencyLimit('database');
 * ```
 */
export function deleteConcurrencyLimit(name: string): boolean {
  const limiter = limits.get(name);
  if (limiter === undefined) return false;
  limits.delete(name);
  limiter.lift();
  return true;
}

/**
 * The limit `name` as it is now, or undefined when there is none.
 * @example
 * ```ts
 * const { active, waiting } = getConcurrencyLimit('database') ?? { active: 0, waiting: 0 };
 * ```
 */
export function getConcurrencyLimit(name: string): ConcurrencyLimitInfo | undefined {
  const limiter = limits.get(name);
  if (limiter === undefined) return undefined;
  if (limiter.decayPerSecond > 0) limiter.release(0); // brings `active` up to date with decay
  return Object.freeze({
    name,
    limit: limiter.limit,
    slotDecayPerSecond: limiter.decayPerSecond,
    active: limiter.active,
    waiting: limiter.waiting,
  });
}

/** @internal The limiter behind `name`, if any (the engine's tag limits will look up `tag:<name>`). */
export function limiterFor(name: string): Limiter | undefined {
  return limits.get(name);
}

/**
 * @internal The limiter for a call of `caller`; for an unknown name, rejects when `strict`,
 * else reports a warning (through `setErrorReporter`) and answers undefined: run unlimited.
 */
export function lookupLimiter(caller: string, name: string, strict: boolean): Limiter | undefined {
  const limiter = limits.get(name);
  if (limiter !== undefined) return limiter;
  const error = new ConcurrencyLimitError(
    name,
    `${caller}: there is no concurrency limit named '${name}' (create it with createConcurrencyLimit)`,
  );
  if (strict) throw error;
  report(`${error.message}; running without a limit`, error);
  return undefined;
}
