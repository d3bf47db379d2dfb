import { Observable } from 'rxjs';
import type { State } from '../../state/schema.js';
import { currentFrame } from '../context.js';
import type { Definition } from '../options.js';
import { OUTCOME_BY_TYPE } from './outcomes.js';
import { RunDriver } from './run-driver.js';

const noop = (): void => {};

/** @internal Runs a definition now; the promise settles with the run's last state, hooks done. */
export function callRun<R>(def: Definition, owner: unknown, args: unknown[]): Promise<R> {
  const frame = currentFrame(def.kind === 'task');
  return new Promise<R>((resolve, reject) => {
    new RunDriver(def, owner, args, frame, {
      next: noop,
      done: (state) => {
        if (OUTCOME_BY_TYPE[state.type] === 'resolve') resolve(state.data as R);
        else reject('error' in state ? state.error : new Error(state.message ?? `Run ended ${state.name}`));
      },
    }).start();
  });
}

/** @internal A cold Observable: each subscription is a new run; unsubscribing cancels it. */
export function observeRun<R>(def: Definition, owner: unknown, args: unknown[]): Observable<State<R>> {
  return new Observable<State<R>>((subscriber) => {
    const driver = new RunDriver(def, owner, [...args], currentFrame(def.kind === 'task'), {
      next: (state) => subscriber.next(state as State<R>),
      done: () => subscriber.complete(),
      get closed() {
        return subscriber.closed;
      },
    });
    driver.start();
    return () => driver.cancel(driver.unsubscribedError());
  });
}
