import { Observable } from 'rxjs';
import { FUTURE_BRAND } from '../internal/engine/future-brand.js';
import type { State } from '../state/schema.js';
import { resultOf } from '../results/result-reference.js';
import type { SubmittedRun } from './submitted-run.js';
import { keepShape } from '../internal/keep-shape.js';

/**
 * A task run started by `task.submit` or `task.map`: its id, its latest state, its states as an
 * Observable, and promises of its end. Created by the engine, never by `new`.
 * @example
 * ```ts
 * const future = double.submit(21);
 * future.state$.subscribe((s) => console.log(s.name)); // Pending, Running, Completed
 * const state = await future.wait(); // never rejects because the run failed
 * const value = await future.result(); // 42, or rejects like `await double(21)`
 * ```
 */
export class TaskRunFuture<R = unknown> {
  /** @internal Lets the engine recognise a future a flow returns (on the prototype: no field per future). */
  declare readonly [FUTURE_BRAND]: true;
  private waiting: Promise<State<R>> | undefined = undefined;

  /** @internal */
  constructor(/** @internal */ readonly run: SubmittedRun) {}

  /** The run's id, known as soon as `submit` returns. */
  get id(): string {
    return this.run.runId;
  }

  /** The run's latest state. */
  get state(): State<R> {
    return this.run.latest as State<R>;
  }

  /** Whether the run has reached its last state (a final one, or `NotReady`). */
  get done(): boolean {
    return this.run.final !== undefined;
  }

  /**
   * The run's states: replays the latest, emits each later one, completes after the last
   * (a final state, or `NotReady`) once the run's hooks have settled.
   */
  get state$(): Observable<State<R>> {
    return new Observable<State<R>>((subscriber) => {
      const run = this.run;
      subscriber.next(run.latest as State<R>);
      if (run.final !== undefined) {
        subscriber.complete();
        return undefined;
      }
      return run.listen((state, done) => {
        if (done) subscriber.complete();
        else subscriber.next(state as State<R>);
      });
    });
  }

  /** Resolves with the run's last state once it has ended; never rejects because the run failed. */
  wait(): Promise<State<R>> {
    return (this.waiting ??= new Promise<State<R>>((resolve) =>
      this.run.whenEnded(() => resolve(this.run.final as State<R>)),
    ));
  }

  /**
   * Resolves with the run's result; rejects like calling the task (the original error, a
   * `TimeoutError`, a `CancelledError`), or with an `UpstreamTaskError` when the run never ran
   * because an upstream run did not complete.
   */
  result(): Promise<R> {
    return this.wait().then((state) => {
      // A result kept only in storage (cacheResultInMemory: false) is loaded from it.
      if (state.type === 'COMPLETED') return resultOf(state.data) as R;
      throw 'error' in state ? state.error : new Error(state.message ?? `Run ended ${state.name}`);
    });
  }

  /** Cancels the run: its signal fires and it ends CANCELLED (a no-op once it has ended). */
  cancel(): void {
    this.run.cancel();
  }
}

Object.defineProperty(TaskRunFuture.prototype, FUTURE_BRAND, { value: true });

keepShape(new TaskRunFuture(undefined as unknown as SubmittedRun)); // see keep-shape.ts
