import stringify from 'safe-stable-stringify';
import { isPlainObject } from '../internal/is-plain-object.js';

/**
 * @internal The one deterministic serialiser of cache keys: object keys sorted, and it throws
 * rather than guess (`strict`) on anything {@link canonical} should have encoded already.
 */
export const stableStringify: (value: unknown) => string = stringify.configure({
  deterministic: true,
  circularValue: TypeError,
  bigint: false,
  strict: true,
}) as (value: unknown) => string;

/**
 * @internal Why a value cannot be part of a cache key, and where in it the problem sits:
 * `path` starts with the parameter's name (`config.hooks[2]`).
 */
export class UnhashableValueError extends Error {
  constructor(
    readonly path: string,
    readonly what: string,
    readonly hint: string,
    /** The first property or index on the path: the parameter, when the root is the parameters. */
    readonly first: string | undefined,
  ) {
    super(`${path} holds ${what}`);
  }
}

// Special values become strings starting with NUL, a character user strings almost never start
// with; a user string that does is escaped as NUL 's' + the string, so the encoding stays
// injective: no two different inputs share an encoding. Tagged arrays start with NUL + 'Map',
// 'Set' or 'Class' (no colon); every tagged scalar has a colon after its tag.
const TAG = '\u0000';
const ESCAPED = '\u0000s';

/** One step of the path to the value being encoded: a property name, an index, or a marker. */
type Step = string | number | { readonly marker: string };

const MAP_KEY: Step = { marker: '<Map key>' };
const MAP_VALUE: Step = { marker: '<Map value>' };
const SET_MEMBER: Step = { marker: '<Set member>' };
const TO_JSON: Step = { marker: '.toJSON()' };

/**
 * @internal Encodes `value` as plain JSON data that {@link stableStringify} turns into the same
 * text for equal values, in any process, on any machine:
 *
 * - object key order does not matter (the serialiser sorts keys); a property whose value is
 *   `undefined` counts as absent, as in JSON;
 * - `Date` → its time, `BigInt` → its digits, `NaN`/`±Infinity` kept apart from `null`,
 *   `undefined` in arrays kept apart from `null`, typed arrays, `ArrayBuffer` and `DataView` →
 *   their element values, `RegExp` → its source and flags;
 * - `Map` and `Set` → their entries sorted by encoding, so insertion order does not matter;
 * - a class instance with a `toJSON()` method → its class name and its `toJSON()` result
 *   encoded again (a URL, a Decimal, a Luxon DateTime); any other class instance is refused;
 * - functions, symbols and circular structures are refused.
 *
 * It is copy-on-write: plain data that needs no encoding is returned as is, so the common case
 * (objects of strings and numbers) allocates nothing. Throws {@link UnhashableValueError}.
 */
export function canonical(value: unknown, root: string): unknown {
  // One walker is reused (a toJSON() that hashes again, re-entering, gets its own).
  const walker = idle ?? new Walker();
  idle = undefined;
  walker.root = root;
  try {
    return walker.encode(value);
  } catch (error) {
    if (error instanceof UnhashableValueError) throw error;
    if (error instanceof RangeError)
      throw walker.refuse('a structure nested too deeply to hash', 'flatten it');
    throw error;
  } finally {
    walker.steps.length = 0;
    walker.ancestors.length = 0;
    idle = walker;
  }
}

let idle: Walker | undefined;

class Walker {
  root = '';
  readonly steps: Step[] = [];
  readonly ancestors: object[] = [];

  encode(value: unknown): unknown {
    switch (typeof value) {
      case 'string':
        return value.charCodeAt(0) === 0 ? ESCAPED + value : value;
      case 'number':
        return Number.isFinite(value) ? value : `${TAG}Number:${String(value)}`;
      case 'boolean':
        return value;
      case 'undefined':
        return `${TAG}undefined`;
      case 'bigint':
        return `${TAG}BigInt:${value.toString()}`;
      case 'object':
        return value === null ? null : this.object(value);
      case 'function':
        throw this.refuse('a function', 'functions cannot be hashed');
      default:
        throw this.refuse(`a ${typeof value}`, 'symbols cannot be hashed');
    }
  }

  /** Where the walk is now: `root.a[2]`, or `a[2]` when the root is ''. */
  where(): string {
    let out = this.root;
    for (const step of this.steps) {
      if (typeof step === 'number') out += `[${step}]`;
      else if (typeof step === 'string') {
        if (out === '') out = step;
        else out += /^[A-Za-z_$][\w$]*$/.test(step) ? `.${step}` : `[${JSON.stringify(step)}]`;
      } else out += step.marker === '.toJSON()' ? step.marker : ` ${step.marker}`;
    }
    return out === '' ? 'the value' : out;
  }

  refuse(what: string, hint: string): UnhashableValueError {
    const first = this.steps[0];
    return new UnhashableValueError(
      this.where(),
      what,
      hint,
      typeof first === 'string' || typeof first === 'number' ? String(first) : undefined,
    );
  }

  private object(value: object): unknown {
    if (this.ancestors.includes(value)) {
      throw this.refuse('a circular reference', 'circular structures cannot be hashed');
    }
    const ancestors = this.ancestors;
    if (Array.isArray(value)) {
      ancestors.push(value);
      const out = this.array(value);
      ancestors.pop();
      return out;
    }
    if (isPlainObject(value)) {
      ancestors.push(value);
      const out = this.plain(value);
      ancestors.pop();
      return out;
    }
    if (value instanceof Date) return `${TAG}Date:${value.getTime()}`;
    if (value instanceof Map || value instanceof Set) {
      ancestors.push(value);
      const out = value instanceof Map ? this.map(value) : this.set(value);
      ancestors.pop();
      return out;
    }
    if (ArrayBuffer.isView(value)) {
      const view = value as ArrayBufferView;
      const name = view.constructor.name;
      const elements =
        view instanceof DataView ? new Uint8Array(view.buffer, view.byteOffset, view.byteLength) : view;
      return `${TAG}${name}:${Array.prototype.join.call(elements, ',')}`;
    }
    if (value instanceof ArrayBuffer) return `${TAG}ArrayBuffer:${new Uint8Array(value).join(',')}`;
    if (value instanceof RegExp) return `${TAG}RegExp:${String(value)}`;
    const name = className(value);
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      ancestors.push(value);
      this.steps.push(TO_JSON);
      const json = this.encode((toJSON as (key: string) => unknown).call(value, ''));
      this.steps.pop();
      ancestors.pop();
      return [`${TAG}Class`, name, json];
    }
    throw this.refuse(
      `${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name} instance`,
      'class instances are hashed only when they define toJSON()',
    );
  }

  private array(value: readonly unknown[]): unknown {
    let out: unknown[] | undefined;
    const steps = this.steps;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      steps.push(i);
      const encoded = this.encode(item);
      steps.pop();
      if (out === undefined && encoded !== item) out = value.slice(0, i);
      if (out !== undefined) out.push(encoded);
    }
    return out ?? value;
  }

  private plain(value: object): unknown {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    let out: Record<string, unknown> | undefined;
    const steps = this.steps;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const item = record[key];
      if (item === undefined) continue;
      steps.push(key);
      const encoded = this.encode(item);
      steps.pop();
      if (out === undefined && encoded !== item) {
        // A null prototype, so a key named __proto__ stays a key.
        out = Object.create(null) as Record<string, unknown>;
        for (let j = 0; j < i; j++) {
          const earlier = record[keys[j]!];
          if (earlier !== undefined) out[keys[j]!] = earlier;
        }
      }
      if (out !== undefined) out[key] = encoded;
    }
    return out ?? value;
  }

  private map(value: Map<unknown, unknown>): unknown {
    const entries: [string, unknown, unknown][] = [];
    for (const [k, v] of value) {
      this.steps.push(MAP_KEY);
      const key = this.encode(k);
      this.steps.pop();
      this.steps.push(MAP_VALUE);
      const item = this.encode(v);
      this.steps.pop();
      entries.push([stableStringify(key), key, item]);
    }
    entries.sort(byFirst);
    return [`${TAG}Map`, ...entries.map(([, k, v]) => [k, v])];
  }

  private set(value: Set<unknown>): unknown {
    const members: [string, unknown][] = [];
    for (const member of value) {
      this.steps.push(SET_MEMBER);
      const encoded = this.encode(member);
      this.steps.pop();
      members.push([stableStringify(encoded), encoded]);
    }
    members.sort(byFirst);
    return [`${TAG}Set`, ...members.map(([, m]) => m)];
  }
}

function byFirst(a: readonly [string, ...unknown[]], b: readonly [string, ...unknown[]]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

function className(value: object): string {
  const ctor = (value as { constructor?: { name?: unknown } }).constructor;
  return typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : 'anonymous class';
}
