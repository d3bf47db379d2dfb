/**
 * @internal True for anything with a callable `then` (Promises and foreign thenables), and for
 * an object whose `then` cannot even be read (a throwing getter, a revoked Proxy): `await` would
 * reject with that error, so it must go where thenables go, to {@link adopt}, which settles it
 * the same way. Never throws.
 */
export function isThenable<T = unknown>(value: unknown): value is PromiseLike<T> {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  try {
    return typeof (value as { then?: unknown }).then === 'function';
  } catch {
    return true;
  }
}
