/**
 * Global concurrency and rate limits (Prefect's `concurrency` and `rate_limit`), in-process.
 * The operators `concurrencyLimit` and `rateLimit` in `rxflow/operators` use the same limits.
 * @packageDocumentation
 */
export { createConcurrencyLimit, deleteConcurrencyLimit, getConcurrencyLimit } from './registry.js';
export type { ConcurrencyLimitOptions, ConcurrencyLimitInfo } from './registry.js';
export { concurrency, rateLimit } from './concurrency.js';
export { setTagConcurrencyLimit } from './tag-limits.js';
export type { ConcurrencyOptions, RateLimitOptions } from './concurrency.js';
export { ConcurrencyLimitError, isConcurrencyLimitError } from './concurrency-limit-error.js';
