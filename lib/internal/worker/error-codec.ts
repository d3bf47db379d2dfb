import type { EncodedError, EncodedThrown } from './protocol.js';
import { findUntransferable } from './transferable.js';

const MAX_CAUSES = 8;
const OWN = new Set(['name', 'message', 'stack', 'cause']);

/**
 * @internal Takes apart what a body threw so it can cross to another thread: an error keeps
 * its name, message, stack, cause chain and own data properties (`code`, `timeoutSeconds`;
 * those that cannot be cloned are left out); any other value goes as is if it can be cloned,
 * else as its description.
 */
export function encodeThrown(thrown: unknown, depth = 0): EncodedThrown {
  if (!isErrorLike(thrown)) {
    if (findUntransferable(thrown, 'the thrown value') === undefined) return { kind: 'value', value: thrown };
    return { kind: 'value', value: String(thrown) };
  }
  const props: Record<string, unknown> = {};
  for (const key of Object.keys(thrown)) {
    if (OWN.has(key)) continue;
    const value = (thrown as unknown as Record<string, unknown>)[key];
    if (findUntransferable(value, key) === undefined) props[key] = value;
  }
  const cause = (thrown as { cause?: unknown }).cause;
  const error: EncodedError = {
    name: String(thrown.name),
    message: String(thrown.message),
    stack: typeof thrown.stack === 'string' ? thrown.stack : undefined,
    props,
    cause: cause === undefined || depth >= MAX_CAUSES ? undefined : encodeThrown(cause, depth + 1),
  };
  return { kind: 'error', error };
}

/**
 * @internal Builds again what {@link encodeThrown} took apart. An error gets the prototype
 * `prototypes[name]` (rxflow's error classes, so `instanceof` and the `isXError` guards work),
 * else that of the built-in error of that name, else `Error.prototype` with its `name`.
 */
export function reviveThrown(encoded: EncodedThrown, prototypes: Readonly<Record<string, object>>): unknown {
  if (encoded.kind === 'value') return encoded.value;
  const { name, message, stack, props, cause } = encoded.error;
  const proto =
    (Object.hasOwn(prototypes, name) ? prototypes[name] : builtinPrototype(name)) ?? Error.prototype;
  const error = Object.create(proto) as Error;
  const hidden = { writable: true, configurable: true, enumerable: false };
  Object.defineProperty(error, 'message', { ...hidden, value: message });
  Object.defineProperty(error, 'stack', { ...hidden, value: stack ?? `${name}: ${message}` });
  if (error.name !== name) Object.defineProperty(error, 'name', { ...hidden, value: name });
  Object.assign(error, props);
  if (cause !== undefined)
    Object.defineProperty(error, 'cause', { ...hidden, value: reviveThrown(cause, prototypes) });
  return error;
}

const BUILTIN_ERRORS = new Set([
  'Error',
  'TypeError',
  'RangeError',
  'SyntaxError',
  'ReferenceError',
  'EvalError',
  'URIError',
  'AggregateError',
]);

function builtinPrototype(name: string): object | undefined {
  if (!BUILTIN_ERRORS.has(name)) return undefined;
  return (globalThis as unknown as Record<string, { prototype: object } | undefined>)[name]?.prototype;
}

function isErrorLike(value: unknown): value is Error {
  return (
    value instanceof Error ||
    (value !== null &&
      typeof value === 'object' &&
      Object.prototype.toString.call(value) === '[object Error]')
  );
}
