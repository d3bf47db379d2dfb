import * as z from 'zod/mini';
import type { ArtifactOptions } from './artifact-record.js';
import { ArtifactOptionsShape, check, createArtifact } from './create-artifact.js';

/** @internal A percentage, 0 to 100. */
export const ProgressSchema = z
  .number({ error: 'expected a number from 0 to 100' })
  .check(
    z.gte(0, { error: 'expected a number from 0 to 100' }),
    z.lte(100, { error: 'expected a number from 0 to 100' }),
  );

const Schema = z.object({
  progress: ProgressSchema,
  options: z.optional(z.strictObject(ArtifactOptionsShape, { error: 'expected an object' })),
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
