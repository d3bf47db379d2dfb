import { parse, stringify } from '@ungap/structured-clone/json';
import type { ResultSerializer } from './result-serializer.js';
import { utf8 } from './utf8.js';
import { isPlainObject } from '../internal/is-plain-object.js';

const TYPED_ARRAYS = new Set([
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
]);
const ERRORS = new Set([
  'Error',
  'TypeError',
  'RangeError',
  'SyntaxError',
  'ReferenceError',
  'EvalError',
  'URIError',
]);
const BOXED = new Set(['Number', 'String', 'Boolean', 'BigInt']);

/**
 * The `'json'` result serializer, the default: UTF-8 JSON in the structured-clone format of
 * `@ungap/structured-clone`, so Dates, Maps, Sets, BigInts, `undefined`, `-0`, RegExps, standard
 * errors, typed arrays and circular references come back as they went in. Values that format
 * would silently change are refused with a `TypeError` naming where they are: functions,
 * symbols, `NaN` and `±Infinity` (JSON has no such numbers), and class instances (they would
 * come back as plain objects); use a custom {@link ResultSerializer} for those.
 * @example
 * ```ts
 * const bytes = jsonSerializer.dumps({ at: new Date(0), ids: new Set([1n]) });
 * jsonSerializer.loads(bytes); // { at: Date(0), ids: Set { 1n } }
 * ```
 */
export const jsonSerializer: ResultSerializer = Object.freeze({
  name: 'json',
  dumps(value: unknown): Uint8Array {
    check(value, 'result', new Set());
    return utf8.encode(stringify(value));
  },
  loads(data: Uint8Array): unknown {
    return parse(utf8.decode(data));
  },
});

function check(value: unknown, path: string, seen: Set<object>): void {
  switch (typeof value) {
    case 'function':
    case 'symbol':
      throw refused(path, `a ${typeof value}`);
    case 'number':
      if (!Number.isFinite(value)) throw refused(path, String(value));
      return;
    case 'object':
      break;
    default:
      return;
  }
  if (value === null || seen.has(value)) return;
  seen.add(value);
  if (Array.isArray(value)) {
    value.forEach((item, i) => check(item, `${path}[${i}]`, seen));
    return;
  }
  if (isPlainObject(value)) {
    for (const key of Object.keys(value))
      check((value as Record<string, unknown>)[key], `${path}.${key}`, seen);
    return;
  }
  if (value instanceof Date || value instanceof RegExp || value instanceof ArrayBuffer) return;
  if (value instanceof Map) {
    for (const [k, v] of value) {
      check(k, `${path} <Map key>`, seen);
      check(v, `${path} <Map value>`, seen);
    }
    return;
  }
  if (value instanceof Set) {
    for (const member of value) check(member, `${path} <Set member>`, seen);
    return;
  }
  const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'anonymous class';
  if (ArrayBuffer.isView(value)) {
    if (!TYPED_ARRAYS.has(name)) throw refused(path, `${article(name)} ${name}`);
    if (name.startsWith('Float')) {
      for (const n of value as Float64Array)
        if (!Number.isFinite(n)) throw refused(path, `${String(n)} (an element)`);
    }
    return;
  }
  if (value instanceof Error) {
    if (!ERRORS.has(name))
      throw refused(
        path,
        `${article(name)} ${name}`,
        'a custom error class would come back as a plain Error',
      );
    const own = Object.keys(value);
    if (own.length > 0)
      throw refused(path, `${article(name)} ${name} with own properties`, `${own.join(', ')} would be lost`);
    return;
  }
  if (BOXED.has(name)) return;
  throw refused(path, `${article(name)} ${name} instance`, 'it would come back as a plain object');
}

function refused(path: string, what: string, why?: string): TypeError {
  return new TypeError(
    `The 'json' result serializer cannot store ${what} at ${path}${why === undefined ? '' : ` (${why})`}; return plain data, or give the task a resultSerializer that can`,
  );
}

function article(name: string): string {
  return /^[aeiou]/i.test(name) ? 'an' : 'a';
}
