/**
 * @internal rxflow's one way to put a value it did not make into a message: option errors, run
 * states, reports. Each describer never throws, whatever it is given: a revoked Proxy, an object
 * without a prototype, a getter or `toString` that throws, a Symbol. What it cannot read is
 * described by its `typeof` instead.
 */

/** @internal A bad option value's kind for error messages: `null`, `a function`, `an array`, `'text'`, `42`. */
export function describeKind(value: unknown): string {
  if (value === null) return 'null';
  const type = typeof value;
  if (type === 'function') return 'a function';
  if (type === 'object') return isArray(value) ? 'an array' : 'an object';
  return type === 'string' ? `'${value as string}'` : String(value as number | symbol);
}

/**
 * @internal A short description of a bad value for error messages: primitives as written
 * (strings quoted), arrays item by item, other objects as JSON or, when that fails, their `typeof`.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null)
    return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    if (Array.isArray(value)) return `[${value.map(describeValue).join(', ')}]`;
    return (
      JSON.stringify(value, (_k, v: unknown) =>
        typeof v === 'number' && !Number.isFinite(v) ? String(v) : v,
      ) ?? typeof value
    );
  } catch {
    return typeof value;
  }
}

/**
 * @internal A one-line description of any thrown value: `Name: message` for an Error (its
 * `name` and `message` read behind a guard), the text of a string, else `Non-Error thrown: …`.
 */
export function describeError(error: unknown): string {
  if (typeof error === 'string') return error;
  if (isError(error)) {
    const name = readText(error, 'name');
    const message = readText(error, 'message');
    if (name !== undefined && message !== undefined) return `${name}: ${message}`;
    return `${name ?? 'Error'}: ${message ?? '(its message could not be read)'}`;
  }
  try {
    const json = JSON.stringify(error);
    if (json !== undefined) return `Non-Error thrown: ${json}`;
  } catch {
    // A cycle, a BigInt, a throwing toJSON or getter: the plain string form below.
  }
  return `Non-Error thrown: ${safeString(error)}`;
}

/**
 * @internal An error's message for a sentence that already says what failed: an Error's
 * `message` (read behind a guard), any other thrown value as {@link describeError} puts it.
 */
export function errorMessage(error: unknown): string {
  if (isError(error)) {
    const message = readText(error, 'message');
    if (message !== undefined) return message;
  }
  return describeError(error);
}

/**
 * @internal Whether `value` is an Error (`instanceof`, which a revoked Proxy or a hostile
 * `Symbol.hasInstance` chain can make throw: then it is not).
 */
export function isError(value: unknown): value is Error {
  try {
    return value instanceof Error;
  } catch {
    return false;
  }
}

/**
 * @internal `String(value)`; when that throws (no prototype, a throwing `toString`), its
 * `Object.prototype.toString` tag (`[object Object]`), and failing that `[unreadable object]` (a revoked Proxy).
 */
export function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    try {
      return Object.prototype.toString.call(value);
    } catch {
      return `[unreadable ${typeof value}]`;
    }
  }
}

/** `Array.isArray` is false, not a throw, for a revoked Proxy. */
function isArray(value: unknown): boolean {
  try {
    return Array.isArray(value);
  } catch {
    return false;
  }
}

/** A string-ish property as text, or undefined when reading or converting it throws. */
function readText(target: object, key: 'name' | 'message'): string | undefined {
  try {
    const value = (target as Record<string, unknown>)[key];
    return typeof value === 'string' ? value : String(value);
  } catch {
    return undefined;
  }
}

/** @internal A function's name, or `'anonymous'`; never throws (a Proxy, a throwing `name` getter). */
export function functionName(fn: unknown): string {
  try {
    const name: unknown = (fn as { name?: unknown }).name;
    return typeof name === 'string' && name !== '' ? name : 'anonymous';
  } catch {
    return 'anonymous';
  }
}
