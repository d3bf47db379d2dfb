export { RxflowError, isRxflowError } from './rxflow-error.js';
export { TimeoutError, isTimeoutError } from './timeout-error.js';
export { CancelledError, isCancelledError } from './cancelled-error.js';
export { NonRetriableError, isNonRetriableError } from './non-retriable-error.js';
export { UpstreamTaskError, isUpstreamTaskError } from './upstream-task-error.js';
export { ParameterValidationError, isParameterValidationError } from './parameter-validation-error.js';
export { OptionValidationError, isOptionValidationError } from './option-validation-error.js';
export { CrashedError, isCrashedError } from './crashed-error.js';
