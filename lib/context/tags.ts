import { currentFrame, runInFrame } from '../internal/context.js';

/**
 * Runs `fn` with `names` added to the tags of every run started inside it, also after `await`s
 * and in runs it submits; nested scopes merge. Returns what `fn` returns.
 * @example
 * ```ts
 * await tags(['nightly', 'eu'], () => etl(2024));
 * ```
 */
export function tags<R>(names: readonly string[], fn: () => R): R {
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) {
    throw new TypeError(`tags(): expected an array of strings, got ${JSON.stringify(names)}`);
  }
  if (typeof fn !== 'function') throw new TypeError('tags(): expected a function as the second argument');
  const frame = currentFrame();
  const merged = Object.freeze([...new Set([...frame.tags, ...names])]);
  return runInFrame({ ...frame, tags: merged }, fn);
}
