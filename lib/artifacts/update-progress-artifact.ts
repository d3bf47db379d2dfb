import * as z from 'zod/mini';
import { ArtifactNotFoundError } from './artifact-not-found-error.js';
import { check, updateProgress } from './create-artifact.js';
import { ProgressSchema } from './create-progress-artifact.js';

const Schema = z.object({
  id: z.string({ error: 'expected an artifact id (a string)' }),
  progress: ProgressSchema,
});

/**
 * Sets a progress artifact's value: its record in the run store is replaced, and `artifacts$`
 * emits the new version (same `id`, new `data`). Rejects with an `ArtifactValidationError` for
 * a bad value and an `ArtifactNotFoundError` for an id that is not a progress artifact of this
 * process (the 1,000 most recent progress artifacts can be updated).
 * @example
 * ```ts
 * const id = await createProgressArtifact(0);
 * await updateProgressArtifact(id, 50);
 * ```
 */
export async function updateProgressArtifact(id: string, progress: number): Promise<void> {
  const input = check('updateProgressArtifact', Schema, { id, progress });
  if (updateProgress(input.id, input.progress) === undefined) {
    throw new ArtifactNotFoundError(
      `updateProgressArtifact: no progress artifact with id '${input.id}' (created by createProgressArtifact in this process)`,
      input.id,
    );
  }
}
