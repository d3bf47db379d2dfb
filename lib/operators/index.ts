/**
 * `rxflow/operators`: the RxJS operators the engine is built from, usable on their own.
 * Every time-based operator takes an optional `SchedulerLike`.
 * @packageDocumentation
 */
export { fromAbortable } from './from-abortable.js';
export type { AbortScope, AbortableResult } from './from-abortable.js';
export { timeoutWithAbort } from './timeout-with-abort.js';
export type { TimeoutWithAbortConfig } from './timeout-with-abort.js';
export { retryWithBackoff } from './retry-with-backoff.js';
export type { RetryWithBackoffConfig, RetryScheduledEvent, RetryEvent } from './retry-with-backoff.js';
export { toStates } from './to-states.js';
export type { ToStatesConfig } from './to-states.js';
export { exponentialBackoff, delayForRetry } from '../policies/backoff.js';
export { applyJitter } from '../policies/jitter.js';
export { concurrencyLimit } from './concurrency-limit.js';
export type { ConcurrencyLimitConfig } from './concurrency-limit.js';
export { rateLimit } from './rate-limit.js';
export type { RateLimitConfig, RateLimitSpec } from './rate-limit.js';
export { cacheResult } from './cache-result.js';
export type { CacheResultConfig } from './cache-result.js';
