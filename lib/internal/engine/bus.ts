import type { Observable } from 'rxjs';
import type { State } from '../../state/schema.js';
import { Bus } from '../hot-stream.js';
import type { RunInfo } from '../run-scope.js';
import { shared } from '../shared.js';

/** One state transition of one run, as published on {@link runStates$}. */
export interface RunStateEvent {
  readonly run: RunInfo;
  readonly state: State;
}

/** @internal The engine publishes here; only when someone listens is an event object built. */
export const stateBus = shared('stateBus', () => new Bus<RunStateEvent>('runStates$'));

/**
 * Every state transition of every run in this process, in order per run: a hot Observable.
 * A subscriber that throws is reported (`setErrorReporter`), never rethrown: runs and other
 * subscribers go on.
 * @example
 * ```ts
 * runStates$.subscribe(({ run, state }) => console.log(`${run.name}: ${state.name}`));
 * ```
 */
export const runStates$: Observable<RunStateEvent> = stateBus.stream;
