import { OptionValidationError } from '../errors/option-validation-error.js';
import { describeKind, describeValue as describe, errorMessage } from './describe-kind.js';

/** @internal Cheap checks for operator configs (operators are built per run; zod is for definitions). */
export function assertNonNegative(owner: string, option: string, value: unknown): void {
  if (typeof value !== 'number' || !(value >= 0) || value === Infinity) {
    throw new RangeError(
      `${owner}: expected ${option} to be a non-negative finite number, got ${String(value)}`,
    );
  }
}

/** @internal */
export function assertNonNegativeInteger(owner: string, option: string, value: unknown): void {
  assertNonNegative(owner, option, value);
  if (!Number.isInteger(value)) {
    throw new RangeError(`${owner}: expected ${option} to be a non-negative integer, got ${String(value)}`);
  }
}

/** @internal A delay option: one non-negative number, or a list of them. */
export function assertDelays(owner: string, option: string, value: unknown): void {
  if (Array.isArray(value)) value.forEach((d, i) => assertNonNegative(owner, `${option}[${i}]`, d));
  else assertNonNegative(owner, option, value);
}

/** @internal How many delays a delay function may return (it is called with the retry count). */
export const MAX_DELAYS = 50;

/**
 * @internal The delays a delay function such as `exponentialBackoff(10)` gives for `retries`
 * retries, called once: a frozen list of at most {@link MAX_DELAYS} non-negative finite
 * numbers. Tasks, flows and the operators all take a function this way; `fail` throws their
 * kind of error with the problem.
 */
export function delaysFromFunction(
  fn: (retries: number) => unknown,
  retries: number,
  fail: (problem: string) => never,
): readonly number[] {
  let computed: unknown;
  try {
    computed = fn(retries);
  } catch (error) {
    return fail(`the delay function threw: ${errorMessage(error)}`);
  }
  const valid =
    Array.isArray(computed) &&
    computed.length <= MAX_DELAYS &&
    computed.every((d) => typeof d === 'number' && d >= 0 && d !== Infinity);
  if (!valid) {
    return fail(
      `the delay function must return at most ${MAX_DELAYS} non-negative numbers, got ${describe(computed)}`,
    );
  }
  return Object.freeze([...(computed as number[])]);
}

/**
 * @internal An operator's delay option, as tasks take `retryDelaySeconds`: one non-negative
 * number, a list of them, or a function of the retry count (called once, here).
 */
export function parseDelays(
  owner: string,
  option: string,
  value: unknown,
  retries: number,
): number | readonly number[] {
  if (typeof value === 'function') {
    return delaysFromFunction(value as (retries: number) => unknown, retries, (problem) => {
      throw new RangeError(`${owner}: invalid ${option}: ${problem}`);
    });
  }
  assertDelays(owner, option, value);
  return value as number | readonly number[];
}

/**
 * @internal Rejects an operator's options object when it is not an object or has a key the
 * operator does not know, as task options do: a misspelt option silently ignored is a policy
 * silently missing. Throws an `OptionValidationError` naming the key.
 */
export function assertKnownOptions(owner: string, config: unknown, known: readonly string[]): void {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new OptionValidationError(owner, 'options', `expected an object, got ${describeKind(config)}`);
  }
  for (const key of Object.keys(config)) {
    if (!known.includes(key)) {
      throw new OptionValidationError(owner, key, `unknown option (the options are ${known.join(', ')})`);
    }
  }
}

/** @internal The keys of an options interface, checked complete by the compiler. */
export function optionKeys<T>(keys: Record<keyof T, true>): readonly string[] {
  return Object.freeze(Object.keys(keys));
}
