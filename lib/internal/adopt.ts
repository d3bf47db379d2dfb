const then = Promise.prototype.then;

/**
 * @internal Calls `onValue` or `onError`, once and later (never synchronously), with the outcome
 * `value` would give `await`: a thenable's `then` that throws, or a `then` getter that throws,
 * rejects with that error, and a thenable calling back twice counts once. A native promise is
 * followed as it is, through the intrinsic `then` (one its owner overrode is not called), so the
 * common case costs what `promise.then(onValue, onError)` costs. The callbacks must not throw.
 */
export function adopt<T>(
  value: unknown,
  onValue: (value: T) => void,
  onError: (error: unknown) => void,
): void {
  try {
    void then.call(Promise.resolve(value as T | PromiseLike<T>), onValue, onError);
  } catch (error) {
    // A native promise whose `constructor` getter throws (Promise.resolve and then read it).
    void then.call(Promise.reject(error), undefined, onError);
  }
}
