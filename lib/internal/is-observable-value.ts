import { isObservable, type Observable } from 'rxjs';

/**
 * @internal RxJS's `isObservable` behind a guard: a value whose `lift` or `subscribe` cannot be
 * read (a throwing getter, a Proxy) is not an Observable but a plain value, as `await` takes it.
 */
export function isObservableValue<T>(value: unknown): value is Observable<T> {
  try {
    return isObservable(value);
  } catch {
    return false;
  }
}
