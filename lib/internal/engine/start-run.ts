import { Observable } from 'rxjs';
import type { State } from '../../state/schema.js';
import { currentFrame } from '../context.js';
import type { Definition } from '../options.js';
import { OUTCOME_BY_TYPE } from './outcomes.js';
import { RunDriver, type RunSink } from './run-driver.js';
import { unpinNow } from '../timestamp.js';
import { resultOf } from '../../results/result-reference.js';
import { keepShape } from '../keep-shape.js';

/** Settles a call's promise from the run's last state. */
class CallSink<R> implements RunSink {
  constructor(
    private readonly resolve: (value: R) => void,
    private readonly reject: (error: unknown) => void,
  ) {}

  next(): void {}

  done(state: State): void {
    // A result kept only in storage (cacheResultInMemory: false) is loaded: resolve adopts the Promise.
    if (OUTCOME_BY_TYPE[state.type] === 'resolve') this.resolve(resultOf(state.data) as R);
    else this.reject('error' in state ? state.error : new Error(state.message ?? `Run ended ${state.name}`));
  }
}

/**
 * @internal Runs a definition now; the promise settles with the run's last state, hooks done.
 * `self` is the body's `this` (the object a task or flow was called on as a method).
 */
export function callRun<R>(def: Definition, owner: unknown, args: unknown[], self?: unknown): Promise<R> {
  const frame = currentFrame(def.kind === 'task');
  return new Promise<R>((resolve, reject) => {
    new RunDriver(def, owner, args, frame, new CallSink(resolve, reject), undefined, self).start();
  });
}

/** @internal A cold Observable: each subscription is a new run; unsubscribing cancels it. */
export function observeRun<R>(def: Definition, owner: unknown, args: unknown[]): Observable<State<R>> {
  return new Observable<State<R>>((subscriber) => {
    const driver = new RunDriver(def, owner, [...args], currentFrame(def.kind === 'task'), {
      next: (state) => {
        unpinNow(); // the subscriber is user code: the clock must be read afresh after it
        subscriber.next(state as State<R>);
      },
      done: () => subscriber.complete(),
      get closed() {
        return subscriber.closed;
      },
    });
    driver.start();
    return () => driver.cancel(driver.unsubscribedError());
  });
}

keepShape(new CallSink(noop, noop)); // see keep-shape.ts

function noop(): void {}
