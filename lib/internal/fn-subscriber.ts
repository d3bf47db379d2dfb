import { Subscriber } from 'rxjs';

/**
 * @internal A Subscriber built from three callbacks. Passing a Subscriber to `subscribe` skips
 * RxJS's SafeSubscriber/ConsumerObserver wrapping, which matters on the per-run hot path.
 */
export class FnSubscriber<T> extends Subscriber<T> {
  constructor(
    private readonly onNext: (value: T) => void,
    private readonly onError: (error: unknown) => void,
    private readonly onComplete: () => void,
  ) {
    super();
  }

  protected override _next(value: T): void {
    this.onNext(value);
  }

  protected override _error(error: unknown): void {
    try {
      this.onError(error);
    } finally {
      this.unsubscribe();
    }
  }

  protected override _complete(): void {
    try {
      this.onComplete();
    } finally {
      this.unsubscribe();
    }
  }
}
