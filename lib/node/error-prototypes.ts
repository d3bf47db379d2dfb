import { CancelledError } from '../errors/cancelled-error.js';
import { CrashedError } from '../errors/crashed-error.js';
import { MissingContextError } from '../errors/missing-context-error.js';
import { NonRetriableError } from '../errors/non-retriable-error.js';
import { OptionValidationError } from '../errors/option-validation-error.js';
import { ParameterValidationError } from '../errors/parameter-validation-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { UpstreamTaskError } from '../errors/upstream-task-error.js';
import { ConcurrencyLimitError } from '../limits/concurrency-limit-error.js';
import { WorkerTransferError } from './worker-transfer-error.js';

/**
 * @internal The classes an error thrown in a worker thread is rebuilt as, by `name` (each class's
 * literal `errorName`, which minifiers keep), so `instanceof` holds on the main thread (a
 * `NonRetriableError` stops retries). Other rxflow errors come back as `Error`s with their `name`
 * and `code`, which their `isXError` guards accept.
 */
export const ERROR_PROTOTYPES: Readonly<Record<string, object>> = Object.freeze(
  Object.fromEntries(
    [
      CancelledError,
      CrashedError,
      MissingContextError,
      NonRetriableError,
      OptionValidationError,
      ParameterValidationError,
      TimeoutError,
      UpstreamTaskError,
      ConcurrencyLimitError,
      WorkerTransferError,
    ].map((ctor) => [ctor.errorName ?? ctor.name, ctor.prototype as object]),
  ),
);
