import { Subject, type Observable } from 'rxjs';
import type { State } from '../../state/schema.js';
import type { RunInfo } from '../run-scope.js';
import { shared } from '../shared.js';

/** One state transition of one run, as published on {@link runStates$}. */
export interface RunStateEvent {
  readonly run: RunInfo;
  readonly state: State;
}

/** @internal The engine publishes here; only when someone listens is an event object built. */
export const stateBus = shared('stateBus', () => new Subject<RunStateEvent>());

/**
 * Every state transition of every run in this process, in order per run: a hot Observable.
 * @example
 * ```ts
 * runStates$.subscribe(({ run, state }) => console.log(`${run.name}: ${state.name}`));
 * ```
 */
export const runStates$: Observable<RunStateEvent> = stateBus.asObservable();
