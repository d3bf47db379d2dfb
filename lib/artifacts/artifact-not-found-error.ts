import { guardFor, RxflowError } from '../errors/rxflow-error.js';

/** `updateProgressArtifact(id, …)` was given an id that is not a progress artifact of this process. */
export class ArtifactNotFoundError extends RxflowError {
  static override readonly errorName: string = 'ArtifactNotFoundError';

  readonly code = 'ARTIFACT_NOT_FOUND';
  readonly artifactId: string;

  constructor(message: string, artifactId: string) {
    super(message);
    this.artifactId = artifactId;
  }
}

/** Narrows `value` to an {@link ArtifactNotFoundError}. */
export const isArtifactNotFoundError = guardFor(ArtifactNotFoundError, 'ArtifactNotFoundError');
