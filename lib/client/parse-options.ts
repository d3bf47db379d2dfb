import type { z } from 'zod';
import { OptionValidationError } from '../errors/option-validation-error.js';
import { describe } from '../internal/options.js';

/**
 * @internal Parses an options object with a strict zod schema; on failure throws an
 * `OptionValidationError` naming `owner`, the first bad option and its value.
 */
export function parseOptions<S extends z.ZodType>(owner: string, schema: S, value: unknown): z.output<S> {
  if (value === undefined) value = {};
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new OptionValidationError(owner, 'options', `expected an object, got ${describe(value)}`);
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys')
    throw new OptionValidationError(owner, issue.keys[0]!, 'unknown option');
  const option = String(issue.path[0] ?? 'options');
  const got = (value as Record<string, unknown>)[option];
  throw new OptionValidationError(owner, option, `${issue.message} (got ${describe(got)})`);
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
