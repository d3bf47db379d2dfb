import { guardFor, RxflowError } from './rxflow-error.js';

/**
 * An option given to `task()`, `flow()` or `withOptions()` is invalid. Thrown at definition
 * time; the message names the task or flow, the option and the bad value.
 */
export class OptionValidationError extends RxflowError {
  static override readonly errorName: string = 'OptionValidationError';

  readonly code = 'INVALID_OPTION';
  /** The option's name as written in the options object (`retryDelaySeconds`), or `fn`. */
  readonly option: string;

  constructor(owner: string, option: string, problem: string) {
    super(`${owner}: invalid option '${option}': ${problem}`);
    this.option = option;
  }
}

/** Narrows `value` to an {@link OptionValidationError}. */
export const isOptionValidationError = guardFor(OptionValidationError, 'OptionValidationError');
