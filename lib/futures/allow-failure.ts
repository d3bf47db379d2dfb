import type { TaskRunFuture } from './task-run-future.js';

/**
 * A future whose failure does not stop the runs that depend on it; made by {@link allowFailure}.
 * @example
 * ```ts
 * const wrapped: AllowFailure<number[]> = allowFailure(extract.submit());
 * ```
 */
export class AllowFailure<R = unknown> {
  /** @internal */
  constructor(readonly future: TaskRunFuture<R>) {}
}

/**
 * Marks an upstream future whose failure must not stop a downstream run: the downstream run
 * starts anyway and receives the upstream's result, or its error if it did not complete
 * (Prefect's `allow_failure`). Works as an argument and in `waitFor`.
 * @example
 * ```ts
 * const data = extract.submit();
 * const cleanup = tidy.submitWith({ waitFor: [allowFailure(data)] });
 * ```
 */
export function allowFailure<R>(future: TaskRunFuture<R>): AllowFailure<R> {
  return new AllowFailure(future);
}
