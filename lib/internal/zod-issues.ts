import * as z from 'zod/mini';
import { en } from 'zod/locales';

/** zod's English error map, built on first use: zod/mini configures no locale of its own. */
let english: z.core.$ZodErrorMap | undefined;

/**
 * @internal zod's English message for `issue` (`Too small: expected number to be >=0`): the one
 * place where the wording of the library's zod issues is decided. Given as the parse context's
 * error map by {@link safeParse}; given to a public schema's parts (`StateSchema`) as their own
 * map through {@link englishUnlessConfigured}.
 */
export function englishMessage(issue: z.core.$ZodRawIssue): string | undefined {
  const message = (english ??= en().localeError)(issue);
  return typeof message === 'string' ? message : message?.message;
}

/**
 * @internal For a public schema's parts: zod's English messages unless the process configured a
 * locale or an error map (`z.config(...)`, or `import 'zod'`, which configures English), which
 * then decides as for any zod schema.
 */
export const englishUnlessConfigured = {
  error: (issue: z.core.$ZodRawIssue): string | undefined => {
    const config = z.config();
    return config.localeError !== undefined || config.customError !== undefined
      ? undefined
      : englishMessage(issue);
  },
};

/**
 * @internal Parses `value` with one of the library's own schemas, with zod's English messages
 * whatever locale the process configured. Never used on users' schemas.
 */
export function safeParse<S extends z.core.$ZodType>(
  schema: S,
  value: unknown,
): z.core.util.SafeParseResult<z.output<S>> {
  return z.safeParse(schema, value, { error: englishMessage });
}

/** @internal zod issues as indented lines: `  - related[0].role: expected a string`. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `  - ${issueText(i)}`).join('\n');
}

/** @internal One zod issue as `path: message`; the path as written in code (`rows[2].name`). */
export function issueText(issue: z.core.$ZodIssue): string {
  const path = issue.path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
  const message =
    issue.code === 'unrecognized_keys'
      ? `unknown ${issue.keys.length > 1 ? 'keys' : 'key'} ${issue.keys.map((k) => `'${k}'`).join(', ')}`
      : issue.message;
  return path === '' ? message : `${path}: ${message}`;
}
