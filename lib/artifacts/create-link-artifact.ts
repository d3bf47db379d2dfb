import * as z from 'zod/mini';
import type { ArtifactOptions } from './artifact-record.js';
import { ArtifactOptionsShape, check, createArtifact } from './create-artifact.js';

/** Options of {@link createLinkArtifact}. */
export interface LinkArtifactOptions extends ArtifactOptions {
  /** The text to show instead of the address. */
  linkText?: string;
}

const Schema = z.object({
  link: z
    .string({ error: 'expected a string' })
    .check(z.minLength(1, { error: 'expected a non-empty address' })),
  options: z.optional(
    z.strictObject(
      { ...ArtifactOptionsShape, linkText: z.optional(z.string({ error: 'expected a string' })) },
      { error: 'expected an object' },
    ),
  ),
});

/**
 * Creates a link artifact (`data: { link, linkText? }`) linked to the current run and resolves
 * to its id. Rejects with an `ArtifactValidationError` on bad input.
 * @example
 * ```ts
 * await createLinkArtifact('https://dash.example.com/runs/42', { key: 'dashboard', linkText: 'Dashboard' });
 * ```
 */
export async function createLinkArtifact(link: string, options?: LinkArtifactOptions): Promise<string> {
  const input = check('createLinkArtifact', Schema, { link, options });
  const { linkText, ...common } = input.options ?? {};
  return createArtifact(
    'link',
    Object.freeze(linkText === undefined ? { link } : { link, linkText }),
    common,
  );
}
