/**
 * `rxflow/testing` on Node: the same API as `index`, with async context installed first, so a
 * virtual clock follows `await`, timers and concurrent branches, and virtual timer callbacks
 * run in the async context (every `AsyncLocalStorage`) that set them.
 * @example
 * ```ts
 * import { withVirtualTime, collectTimeline } from 'rxflow/testing'; // resolves here on Node
 * const [a, b] = await Promise.all([withVirtualTime(() => jobA()), withVirtualTime(() => jobB())]);
 * ```
 * @packageDocumentation
 */
import '../internal/context-node.js';
import './internal/context-binder-node.js';

export {
  withVirtualTime,
  sleep,
  VirtualScheduler,
  seededRandom,
  DeadlockError,
  isDeadlockError,
  StepLimitError,
  isStepLimitError,
  flaky,
  collectTimeline,
  attemptTimes,
  arbRetryPolicy,
  arbFailureScript,
  expectedDelays,
  delayBounds,
} from './index.js';
export type {
  WithVirtualTimeOptions,
  Flaky,
  FailureScript,
  TimelineEntry,
  CollectTimelineOptions,
  RetryPolicy,
  RetryDelaySeconds,
  ArbRetryPolicyOptions,
  ArbFailureScriptOptions,
  FailureKind,
} from './index.js';
