/**
 * Base class of every error rxflow raises itself. `code` is stable and machine-readable;
 * `name` is the subclass name, so `err.name === 'TimeoutError'` works across realms.
 */
export abstract class RxflowError extends Error {
  /** A stable identifier of the error kind, such as `'TIMEOUT'`. */
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
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
