import { format } from 'date-fns/format';
import { formatAsDate } from '../internal/run-name.js';
import { CacheKeyError } from './cache-key-error.js';
import { canonical, stableStringify, UnhashableValueError } from './canonical.js';

/** @internal A compiled `resultStorageKey` such as `'sums/{a}-{b}.json'`. */
export interface StorageKeyTemplate {
  /** The parameter names it refers to, in order (repeats included). */
  readonly keys: readonly string[];
  /**
   * The key of a run with these arguments. Throws a CacheKeyError naming the parameter when a
   * value cannot be rendered (a function, a symbol, a circular structure, a class instance
   * without `toJSON()`).
   */
  render(parameters: Readonly<Record<string, unknown>>): string;
}

interface Placeholder {
  readonly key: string;
  readonly format: string | undefined;
  /**
   * The character escaped in this value besides the usual ones: one of the text that follows it
   * before the next placeholder, so where the value ends can always be told (see below).
   */
  readonly stop: string | undefined;
}

const PLACEHOLDER = /\{([^{}:]+)(?::([^{}]*))?\}/g;
const PROBE_DATE = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
// What an escape is made of (`%2F`; `%u` escapes come only from a stop above U+00FF, so never
// contain a stop): these never mark where a value ends.
const ESCAPE_ALPHABET = /[0-9A-F%]/;

/**
 * @internal Compiles a `resultStorageKey`. Rendering is injective: two runs whose arguments
 * differ (as cache keys see them: the canonical encoding of lib/cache/canonical.ts) never get the
 * same key, with two documented exceptions, date formats (`{day:yyyy-MM-dd}` drops the time,
 * by request) and scalars of different types with the same text (`1`, `1n`, `'1'`):
 *
 * - a string renders as itself, a finite number as its digits (`-0` as `0`), `NaN`,
 *   `Infinity`, a BigInt as its digits, `true`, `null`, `undefined`, a valid `Date` as its ISO
 *   time, an invalid one as `Invalid Date`; anything else (arrays, objects, `Map`, `Set`, typed
 *   arrays, class instances with `toJSON()`) as the JSON text of its canonical encoding, so key
 *   order and `Map`/`Set` insertion order do not matter, and `NaN`, `undefined` or `1n` inside
 *   stay apart from `null` and `1`;
 * - in that text `%`, `/`, `\` and control characters are percent-encoded (`%2F`; `%uXXXX`
 *   above U+00FF), and so are a leading `.`, `[`, `{` or `"` (a value can neither add a path
 *   segment, nor be `.` or `..`, nor pass for a structured value) and the first character of
 *   the literal text after the placeholder that cannot occur in an escape (so the next literal
 *   marks where the value ends). `'sum-{a}-{b}.json'` with 1 and 2 renders `sum-1-2.json`; with
 *   `'x-y'` and 2, `sum-x%2Dy-2.json`.
 *
 * A template where that is impossible is refused through `fail`: placeholders with nothing
 * between them (`{a}{b}`) or with only digits, `A`-`F` and `%` between them. A date format is
 * tried on a fixed date, so a bad one fails at definition too.
 */
export function compileStorageKey(
  template: string,
  taskName: string,
  fail: (problem: string) => never,
): StorageKeyTemplate {
  const literals: string[] = [];
  const found: { key: string; format: string | undefined; text: string }[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    literals.push(template.slice(last, m.index));
    const fmt = m[2];
    if (fmt !== undefined) {
      try {
        format(PROBE_DATE, fmt);
      } catch (error) {
        fail(`the date format '${fmt}' in '${m[0]}' is invalid: ${(error as Error).message}`);
      }
    }
    found.push({ key: m[1]!.trim(), format: fmt, text: m[0] });
    last = m.index + m[0].length;
  }
  literals.push(template.slice(last));
  const placeholders: Placeholder[] = found.map((p, i) => {
    if (i === found.length - 1) return { key: p.key, format: p.format, stop: undefined };
    const between = literals[i + 1]!;
    const stop = between.split('').find((c) => !ESCAPE_ALPHABET.test(c));
    if (stop === undefined) {
      fail(
        between === ''
          ? `'${p.text}' and '${found[i + 1]!.text}' are adjacent, so different arguments could render the same key; put a separator such as '-' between them`
          : `the text '${between}' between '${p.text}' and '${found[i + 1]!.text}' holds only digits, A-F and '%', which escaped values hold too, so different arguments could render the same key; put another separator such as '-' between them`,
      );
    }
    return { key: p.key, format: p.format, stop };
  });
  return {
    keys: placeholders.map((p) => p.key),
    render(parameters) {
      let out = literals[0]!;
      for (let i = 0; i < placeholders.length; i++) {
        const p = placeholders[i]!;
        const value = parameters[p.key];
        out += escapeValue(textOf(value, p, taskName), p.stop, typeof value === 'string') + literals[i + 1]!;
      }
      return out;
    },
  };
}

/** The text of one value, before escaping. */
function textOf(value: unknown, placeholder: Placeholder, taskName: string): string {
  const formatted = formatAsDate(value, placeholder.format);
  if (formatted !== undefined) return formatted;
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return value === 0 ? '0' : String(value);
    case 'bigint':
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'function':
    case 'symbol':
      throw refused(taskName, placeholder.key, `a ${typeof value}`, `${typeof value}s cannot be rendered`);
  }
  if (value === null) return 'null';
  if (value instanceof Date) {
    const time = value.getTime();
    return Number.isNaN(time) ? 'Invalid Date' : value.toISOString();
  }
  let encoded: unknown;
  try {
    encoded = canonical(value, placeholder.key);
  } catch (error) {
    if (!(error instanceof UnhashableValueError)) throw error;
    throw refused(taskName, placeholder.key, `${error.what} at ${error.path}`, error.hint, error);
  }
  return stableStringify(encoded);
}

function refused(
  taskName: string,
  parameter: string,
  what: string,
  hint: string,
  cause?: unknown,
): CacheKeyError {
  return new CacheKeyError(
    `Cannot compute the storage key of task '${taskName}': resultStorageKey parameter '${parameter}' holds ${what} (${hint}); pass a value a key can be made of, or use cacheKeyFn`,
    parameter,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Percent-encodes what would make `text` ambiguous or unsafe in a key (see compileStorageKey).
 * A string's leading `[`, `{` or `"` is escaped so that it never passes for the JSON text of a
 * structured value, which starts with one of them (and keeps it).
 */
function escapeValue(text: string, stop: string | undefined, string: boolean): string {
  // An empty value must not vanish: 'a/{x}/b' would become 'a//b', the same file as 'a/b'.
  // '%-' is no escape percent() produces, and a literal '%' in a value is escaped.
  if (text === '') return EMPTY;
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const unsafe =
      code < 0x20 ||
      code === 0x7f ||
      code === 0x25 || // %
      code === 0x2f || // /
      code === 0x5c || // \
      (i === 0 && (code === 0x2e || (string && (code === 0x5b || code === 0x7b || code === 0x22)))) || // . [ { "
      (stop !== undefined && text[i] === stop);
    if (!unsafe) continue;
    out += text.slice(from, i) + percent(code);
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** How an empty value renders: not an escape of any character, so no other value renders so. */
const EMPTY = '%-';

function percent(code: number): string {
  return code < 0x100
    ? `%${code.toString(16).toUpperCase().padStart(2, '0')}`
    : `%u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
