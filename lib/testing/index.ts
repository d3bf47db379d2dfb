/**
 * `rxflow/testing`: deterministic time and property-testing helpers for your own flows.
 *
 * - {@link withVirtualTime} runs code on a virtual clock (seeded randomness too), so retries,
 *   timeouts and cache expiry take no real time and timelines are exact and reproducible;
 * - {@link flaky} scripts a function's failures; {@link collectTimeline} records a run's states;
 * - {@link arbRetryPolicy} and {@link arbFailureScript} generate fast-check inputs, and
 *   {@link expectedDelays} says what the engine should wait.
 *
 * On Node, the `node` export condition picks `index.node`, which makes virtual time follow
 * `await` and keeps concurrent `withVirtualTime` calls apart.
 *
 * Importing this entry loads fast-check (an optional peer dependency of rxflow), whichever of
 * its exports you use: install it wherever you import `rxflow/testing`.
 * @example
 * ```ts
 * import { withVirtualTime, flaky } from 'rxflow/testing';
 * const body = flaky(2, () => 'ok');
 * const load = task({ retries: 2, retryDelaySeconds: 3600 }, body);
 * await withVirtualTime(() => load()); // milliseconds of real time
 * expect(body.gaps).toEqual([3_600_000, 3_600_000]);
 * ```
 * @packageDocumentation
 */
export { withVirtualTime } from './with-virtual-time.js';
export type { WithVirtualTimeOptions } from './with-virtual-time.js';
export { sleep } from './sleep.js';
export { VirtualScheduler } from './virtual-scheduler.js';
export { seededRandom } from './seeded-random.js';
export { DeadlockError, isDeadlockError } from './deadlock-error.js';
export { StepLimitError, isStepLimitError } from './step-limit-error.js';
export { flaky } from './flaky.js';
export type { Flaky, FailureScript } from './flaky.js';
export { collectTimeline, attemptTimes } from './timeline.js';
export type { TimelineEntry, CollectTimelineOptions } from './timeline.js';
export { arbRetryPolicy, arbFailureScript, expectedDelays, delayBounds } from './arbitraries.js';
export type {
  RetryPolicy,
  RetryDelaySeconds,
  ArbRetryPolicyOptions,
  ArbFailureScriptOptions,
  FailureKind,
} from './arbitraries.js';
