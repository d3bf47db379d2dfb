import * as z from 'zod/mini';
import type { ArtifactOptions } from './artifact-record.js';
import { ArtifactOptionsShape, check, createArtifact } from './create-artifact.js';

const Schema = z.object({
  markdown: z.string({ error: 'expected a string of markdown' }),
  options: z.optional(z.strictObject(ArtifactOptionsShape, { error: 'expected an object' })),
});

/**
 * Creates a markdown artifact linked to the current run (task run and flow run; none outside a
 * run) and resolves to its id. Rejects with an `ArtifactValidationError` on bad input.
 * @example
 * ```ts
 * await createMarkdownArtifact(`# Sales\n\nTotal: **${total}**`, { key: 'sales-report', description: 'daily' });
 * ```
 */
export async function createMarkdownArtifact(markdown: string, options?: ArtifactOptions): Promise<string> {
  const input = check('createMarkdownArtifact', Schema, { markdown, options });
  return createArtifact('markdown', input.markdown, input.options ?? {});
}
