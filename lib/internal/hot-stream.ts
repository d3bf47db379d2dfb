import { Observable, Subscriber, Subscription, type Observer, type Operator, type TeardownLogic } from 'rxjs';
import { report } from './report.js';

/**
 * @internal The Observable of one of rxflow's hot streams (`runStates$`, `runLogs$`, `events$`,
 * `artifacts$`), and of everything piped from it: a subscriber's callbacks can never reach
 * RxJS's unhandled-error path, which rethrows on a timer and so kills a Node process.
 *
 * `subscribe(next)` or `subscribe(observer)` wraps the callbacks: one that throws is reported
 * (`setErrorReporter`) and the subscriber stays subscribed, as RxJS keeps it; an error reaching
 * a subscriber without an error callback (a `map` it piped through threw) is reported instead of
 * rethrown. Operators made with `lift` (every RxJS operator) give a `HotStream` again, so the
 * guard is at the end of any pipeline. A `Subscriber` passed in (an operator's, `firstValueFrom`'s)
 * is used as it is: it belongs to a pipeline whose own end is guarded, or to code that took
 * its errors in hand. Subscribing costs one small object; emitting costs nothing more.
 */
export class HotStream<T> extends Observable<T> {
  constructor(
    /** The stream's public name, for reports: `runStates$`. */
    readonly label: string,
    subscribe?: (this: Observable<T>, subscriber: Subscriber<T>) => TeardownLogic,
  ) {
    super(subscribe);
  }

  /** @internal RxJS operators build their Observable here: it stays guarded. */
  override lift<R>(operator?: Operator<T, R>): Observable<R> {
    const lifted = new HotStream<R>(this.label);
    lifted.source = this;
    lifted.operator = operator;
    return lifted;
  }

  override subscribe(
    observerOrNext?: Partial<Observer<T>> | ((value: T) => void) | null,
    error?: ((error: unknown) => void) | null,
    complete?: (() => void) | null,
  ): Subscription {
    if (isSubscriber(observerOrNext)) return super.subscribe(observerOrNext);
    return super.subscribe(new GuardedObserver<T>(this.label, observerOrNext, error, complete));
  }
}

/**
 * @internal The source of a {@link HotStream}: what the engine publishes to. Like a `Subject`
 * that never ends, with the cheap `observed` check the hot path makes before building a value,
 * and a `next` that hands the value to every subscriber even if one of them throws
 * synchronously (a `Subscriber` passed in as is), reporting the throw.
 */
export class Bus<T> extends HotStream<T> {
  /** Copied on write, so a `next` in progress goes on over the list it started with. */
  private subscribers: readonly Subscriber<T>[] = [];
  /** The read-only face, what the public export is: `subscribe` and `pipe`, no `next`. */
  readonly stream: HotStream<T>;

  constructor(label: string) {
    super(label, function (this: Observable<T>, subscriber: Subscriber<T>) {
      return (this as Bus<T>).attach(subscriber);
    });
    this.stream = new HotStream<T>(label, (subscriber) => this.subscribe(subscriber));
  }

  /** Adds a subscriber; returns its teardown. */
  private attach(subscriber: Subscriber<T>): TeardownLogic {
    this.subscribers = [...this.subscribers, subscriber];
    return () => {
      this.subscribers = this.subscribers.filter((s) => s !== subscriber);
    };
  }

  /** Whether anyone subscribes: checked before building a value nobody would see. */
  get observed(): boolean {
    return this.subscribers.length !== 0;
  }

  /** Hands `value` to every subscriber. */
  next(value: T): void {
    const list = this.subscribers;
    for (let i = 0; i < list.length; i++) {
      try {
        list[i]!.next(value);
      } catch (error) {
        report(`a ${this.label} subscriber threw; runs and other subscribers are unaffected`, error);
      }
    }
  }
}

/** A subscriber's callbacks, each called behind a guard. */
class GuardedObserver<T> implements Observer<T> {
  private readonly target: Partial<Observer<T>> | undefined;

  constructor(
    private readonly label: string,
    observerOrNext: Partial<Observer<T>> | ((value: T) => void) | null | undefined,
    error: ((error: unknown) => void) | null | undefined,
    complete: (() => void) | null | undefined,
  ) {
    this.target =
      typeof observerOrNext === 'function' || observerOrNext == null
        ? {
            next: observerOrNext ?? undefined,
            error: error ?? undefined,
            complete: complete ?? undefined,
          }
        : observerOrNext;
  }

  next(value: T): void {
    try {
      // Read each time, and called as a method, as RxJS does with a partial observer.
      if (this.target?.next) this.target.next(value);
    } catch (error) {
      report(`a ${this.label} subscriber threw; runs and other subscribers are unaffected`, error);
    }
  }

  error(error: unknown): void {
    let handled = false;
    try {
      if (this.target?.error) {
        handled = true;
        this.target.error(error);
      }
    } catch (thrown) {
      report(`the error callback of a ${this.label} subscriber threw`, thrown);
      return;
    }
    if (!handled)
      report(
        `a pipeline on ${this.label} failed and its subscriber has no error callback; runs and other subscribers are unaffected`,
        error,
      );
  }

  complete(): void {
    try {
      if (this.target?.complete) this.target.complete();
    } catch (error) {
      report(`the complete callback of a ${this.label} subscriber threw`, error);
    }
  }
}

/** RxJS's own test (`isSubscriber`): a Subscriber, or an observer that is also a Subscription. */
function isSubscriber<T>(value: unknown): value is Subscriber<T> {
  if (value === null || typeof value !== 'object') return false;
  try {
    if (value instanceof Subscriber) return true;
    const v = value as Record<string, unknown>;
    return (
      typeof v.next === 'function' &&
      typeof v.error === 'function' &&
      typeof v.complete === 'function' &&
      (value instanceof Subscription ||
        ('closed' in v &&
          typeof v.remove === 'function' &&
          typeof v.add === 'function' &&
          typeof v.unsubscribe === 'function'))
    );
  } catch {
    // An observer whose properties cannot be read: wrapped, so reading them later is guarded too.
    return false;
  }
}
