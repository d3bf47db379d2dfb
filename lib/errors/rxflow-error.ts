/**
 * Base class of every error rxflow raises itself. `code` is stable and machine-readable;
 * `name` is the subclass name, so `err.name === 'TimeoutError'` works across realms and in
 * minified bundles.
 */
export abstract class RxflowError extends Error {
  /**
   * The `name` of this class's errors, as a string literal: a minifier renames classes
   * (`TimeoutError` becomes `ao`), never strings. Every rxflow error class sets its own; a
   * subclass of yours that does not is named after its class.
   */
  static readonly errorName: string | undefined = undefined;

  /** A stable identifier of the error kind, such as `'TIMEOUT'`. */
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = (Object.hasOwn(new.target, 'errorName') && new.target.errorName) || new.target.name;
  }
}

/** Narrows `value` to an {@link RxflowError} raised by this library. */
export function isRxflowError(value: unknown): value is RxflowError {
  try {
    return value instanceof RxflowError;
  } catch {
    return false;
  }
}

/** @internal Builds a guard that also recognises errors from another copy of the library by `name`. */
export function guardFor<E extends Error>(ctor: abstract new (...args: never[]) => E, name: string) {
  return (value: unknown): value is E => {
    // Any thrown value reaches a guard: a revoked Proxy makes `instanceof` throw, a getter `name`.
    try {
      return value instanceof ctor || (value instanceof Error && value.name === name && 'code' in value);
    } catch {
      return false;
    }
  };
}
