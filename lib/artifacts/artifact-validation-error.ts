import { guardFor, RxflowError } from '../errors/rxflow-error.js';

/**
 * An artifact function was given data or options of the wrong shape (a table with uneven
 * columns, a progress outside 0–100, a key with capitals, …). The message names the function
 * and every problem; `problems` lists them.
 */
export class ArtifactValidationError extends RxflowError {
  static override readonly errorName: string = 'ArtifactValidationError';

  readonly code = 'INVALID_ARTIFACT';
  /** Each problem, as `path: message` (`key: …`, `rows[2]: …`). */
  readonly problems: readonly string[];

  constructor(fn: string, problems: readonly string[]) {
    super(`${fn}: invalid artifact:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/** Narrows `value` to an {@link ArtifactValidationError}. */
export const isArtifactValidationError = guardFor(ArtifactValidationError, 'ArtifactValidationError');
