import type { State } from '../state/schema.js';
import { resultsOf } from '../results/result-reference.js';
import type { SubmittedRun } from './submitted-run.js';
import type { TaskRunFuture } from './task-run-future.js';

/**
 * The futures of `task.map`, in input order: an array, with `result()` and `wait()` for all of
 * them. `map`, `filter` and `slice` on it return plain arrays.
 * @example
 * ```ts
 * const futures = double.map([1, 2, 3]);
 * await futures.result(); // [2, 4, 6], in input order; rejects with the first failure
 * (await futures.wait()).map((s) => s.name); // ['Completed', 'Completed', 'Completed']
 * ```
 */
export class TaskRunFutureList<R = unknown> extends Array<TaskRunFuture<R>> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  /** Resolves with every run's result in input order; rejects with the first failure to end. */
  result(): Promise<R[]> {
    return this.whenAll(true).then((states) => resultsOf(states) as R[] | Promise<R[]>);
  }

  /** Resolves with every run's last state in input order, once all have ended; never rejects. */
  wait(): Promise<State<R>[]> {
    return this.whenAll(false);
  }

  /** One shared callback per list rather than a promise per future: map lists are long. */
  private whenAll(rejectOnFailure: boolean): Promise<State<R>[]> {
    const futures = Array.from(this);
    return new Promise<State<R>[]>((resolve, reject) => {
      let left = futures.length;
      let settled = false;
      // One callback for every run (it is told which run ended): no closure per future.
      const one = (run: SubmittedRun) => {
        if (settled) return;
        const state = run.final!;
        if (rejectOnFailure && state.type !== 'COMPLETED') {
          settled = true;
          reject('error' in state ? state.error : new Error(state.message ?? `Run ended ${state.name}`));
          return;
        }
        if (--left === 0) {
          settled = true;
          resolve(futures.map((f) => f.state));
        }
      };
      if (left === 0) resolve([]);
      for (const future of futures) future.run.onEnded(one);
    });
  }
}
