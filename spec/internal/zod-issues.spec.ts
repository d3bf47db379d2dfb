import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { StateSchema } from '../../lib/state/schema';
import { englishUnlessConfigured, safeParse } from '../../lib/internal/zod-issues';

const lib = join(__dirname, '../../lib');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('the library on zod/mini', () => {
  it("should never import zod's classic API, which brings every locale into a browser bundle", () => {
    const classic = sources(lib).filter((file) =>
      /from 'zod'|from 'zod\/v4'|require\('zod'\)/.test(readFileSync(file, 'utf8')),
    );
    expect(classic).toEqual([]);
  });

  it("should word the library's own issues in zod's English, whatever locale the process configured", () => {
    const schema = z.strictObject({ retries: z.optional(z.number().check(z.int(), z.nonnegative())) });
    const messages = [{ retries: -1 }, { retries: 'x' }, { retries: 1.5 }, { other: 1 }].map(
      (value) => safeParse(schema, value).error?.issues[0]?.message,
    );
    expect(messages).toEqual([
      'Too small: expected number to be >=0',
      'Invalid input: expected number, received string',
      'Invalid input: expected int, received number',
      'Unrecognized key: "other"',
    ]);
  });

  it("should word StateSchema's issues in English, unless the process configured a locale or error map", () => {
    const bad = { type: 'COMPLETED', name: 'Failed', timestamp: new Date(0) };
    expect(StateSchema.safeParse(bad).error?.issues[0]?.message).toBe(
      'Invalid option: expected one of "Completed"|"Cached"',
    );
    const previous = z.config();
    const saved = { customError: previous.customError, localeError: previous.localeError };
    try {
      z.config({ customError: () => 'configured' });
      expect(StateSchema.safeParse(bad).error?.issues[0]?.message).toBe('configured');
      expect(
        englishUnlessConfigured.error({ code: 'custom', input: 1, path: [], message: '' } as never),
      ).toBe(undefined);
    } finally {
      z.config(saved);
    }
  });
});
