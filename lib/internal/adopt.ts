import { isThenable } from './is-thenable.js';

const then = Promise.prototype.then;

/**
 * @internal Calls `onValue` or `onError`, exactly once, with the outcome `await value` would
 * give: a `then` or `then` getter that throws rejects with that error, a thenable calling back
 * twice (or calling back, then throwing) counts once, and a thenable resolved with another
 * thenable is followed. A foreign thenable is called at once, so one that settles synchronously
 * calls back synchronously, as with RxJS's `from`. A native promise is followed through the
 * intrinsic `then`, as `await` does (a `then` its owner overrode is not called), with no object
 * made: the hot path. The callbacks must not throw.
 */
export function adopt<T>(
  value: unknown,
  onValue: (value: T) => void,
  onError: (error: unknown) => void,
): void {
  let native = false;
  try {
    native = value instanceof Promise;
  } catch {
    // A Proxy whose getPrototypeOf throws: a foreign thenable, read below behind a guard.
  }
  if (native) {
    try {
      void then.call(value as Promise<T>, onValue, onError);
    } catch (error) {
      // Only a `constructor` getter that throws (read by then's species lookup) gets here,
      // before any callback is registered.
      onError(error);
    }
    return;
  }
  let settled = false;
  const resolve = (result: unknown) => {
    if (settled) return;
    settled = true;
    if (isThenable(result)) adopt(result, onValue, onError);
    else onValue(result as T);
  };
  const reject = (error: unknown) => {
    if (settled) return;
    settled = true;
    onError(error);
  };
  try {
    const thenOf = (value as { then?: unknown }).then;
    if (typeof thenOf === 'function') (thenOf as PromiseLike<unknown>['then']).call(value, resolve, reject);
    else {
      // Not a thenable after all (a getter that changed its mind): the value itself.
      settled = true;
      onValue(value as T);
    }
  } catch (error) {
    reject(error);
  }
}
