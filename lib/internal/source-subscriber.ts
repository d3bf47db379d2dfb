import { Subscriber } from 'rxjs';
import { keepShape } from './keep-shape.js';

/** @internal What a {@link SourceSubscriber} feeds: a buffering stage in front of `out`. */
export interface SourceSink<T> {
  readonly out: { error(error: unknown): void };
  push(value: T): void;
  sourceComplete(): void;
}

/**
 * @internal Feeds an operator's source values to a buffering stage (the limited merge, the rate
 * spacer); errors go straight downstream; on completion it unsubscribes from the source at once.
 */
export class SourceSubscriber<T> extends Subscriber<T> {
  constructor(private readonly sink: SourceSink<T>) {
    super();
  }

  protected override _next(value: T): void {
    this.sink.push(value);
  }

  protected override _error(error: unknown): void {
    this.sink.out.error(error);
  }

  protected override _complete(): void {
    this.unsubscribe();
    this.sink.sourceComplete();
  }
}

keepShape(new SourceSubscriber({ out: { error() {} }, push() {}, sourceComplete() {} })); // see keep-shape.ts
