import { z } from 'zod';
import type { ArtifactOptions } from './artifact-record.js';
import { ArtifactOptionsShape, check, createArtifact } from './create-artifact.js';

/** @internal A percentage, 0 to 100. */
export const ProgressSchema = z
  .number({ error: 'expected a number from 0 to 100' })
  .min(0, { error: 'expected a number from 0 to 100' })
  .max(100, { error: 'expected a number from 0 to 100' });

const Schema = z.object({
  progress: ProgressSchema,
  options: z.object(ArtifactOptionsShape, { error: 'expected an object' }).strict().optional(),
});

/**
 * Creates a progress artifact (a percentage, 0 to 100) linked to the current run and resolves
 * to its id; move it with `updateProgressArtifact(id, progress)`. Rejects with an
 * `ArtifactValidationError` on bad input.
 * @example
 * ```ts
 * const id = await createProgressArtifact(0, { key: 'import-progress' });
 * for (const [i, file] of files.entries()) {
 *   await importFile(file);
 *   await updateProgressArtifact(id, ((i + 1) / files.length) * 100);
 * }
 * ```
 */
export async function createProgressArtifact(progress: number, options?: ArtifactOptions): Promise<string> {
  const input = check('createProgressArtifact', Schema, { progress, options });
  return createArtifact('progress', input.progress, input.options ?? {});
}
