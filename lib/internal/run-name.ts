import { format } from 'date-fns/format';
import { isValid } from 'date-fns/isValid';

/** @internal A compiled `'hello-{name}-on-{date:EEEE}'` template. */
export interface RunNameTemplate {
  readonly keys: readonly string[];
  render(parameters: Readonly<Record<string, unknown>>): string;
}

const PLACEHOLDER = /\{([^{}:]+)(?::([^{}]*))?\}/g;
const PROBE_DATE = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));

/**
 * @internal Compiles a run-name template. Date-fns format strings are tried on a fixed date
 * at compile time so a bad format fails at definition, not at run time.
 */
export function compileRunName(template: string, fail: (problem: string) => never): RunNameTemplate {
  const parts: (string | { key: string; format: string | undefined })[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    parts.push(template.slice(last, m.index));
    const key = m[1]!.trim();
    const fmt = m[2];
    if (fmt !== undefined) {
      try {
        format(PROBE_DATE, fmt);
      } catch (error) {
        fail(`the date format '${fmt}' in '{${m[0].slice(1, -1)}}' is invalid: ${(error as Error).message}`);
      }
    }
    parts.push({ key, format: fmt });
    last = m.index + m[0].length;
  }
  parts.push(template.slice(last));
  const keys = parts.flatMap((p) => (typeof p === 'string' ? [] : [p.key]));
  return {
    keys,
    render(parameters) {
      let out = '';
      for (const part of parts) {
        if (typeof part === 'string') out += part;
        else out += renderValue(parameters[part.key], part.format);
      }
      return out;
    },
  };
}

/**
 * @internal A placeholder's date format applied to a value that is (or reads as) a valid date;
 * undefined when there is no format or the value is no date, so the caller renders it plainly.
 */
export function formatAsDate(value: unknown, fmt: string | undefined): string | undefined {
  if (fmt === undefined || fmt === '') return undefined;
  const date =
    value instanceof Date
      ? value
      : typeof value === 'number' || typeof value === 'string'
        ? new Date(value)
        : undefined;
  return date !== undefined && isValid(date) ? format(date, fmt) : undefined;
}

function renderValue(value: unknown, fmt: string | undefined): string {
  const formatted = formatAsDate(value, fmt);
  if (formatted !== undefined) return formatted;
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}
