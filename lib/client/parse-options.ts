import type * as z from 'zod/mini';
import { safeParse } from '../internal/zod-issues.js';
import { OptionValidationError } from '../errors/option-validation-error.js';
import { describeValue as describe } from '../internal/describe-kind.js';

/**
 * @internal Parses an options object with a strict zod schema; on failure throws an
 * `OptionValidationError` naming `owner`, the first bad option and its value.
 */
export function parseOptions<S extends z.core.$ZodType>(
  owner: string,
  schema: S,
  value: unknown,
): z.output<S> {
  if (value === undefined) value = {};
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new OptionValidationError(owner, 'options', `expected an object, got ${describe(value)}`);
  const parsed = safeParse(schema, value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys')
    throw new OptionValidationError(owner, issue.keys[0]!, 'unknown option');
  const option = String(issue.path[0] ?? 'options');
  const got = (value as Record<string, unknown>)[option];
  throw new OptionValidationError(owner, option, `${issue.message} (got ${describe(got)})`);
}
