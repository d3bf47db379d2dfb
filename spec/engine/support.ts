// Shared helpers for the engine specs (task, flow, context, node, engine).
import { lastValueFrom, toArray, type Observable } from 'rxjs';
import {
  canTransition,
  isOptionValidationError,
  runStates$,
  setErrorReporter,
  StateSchema,
  type OptionValidationError,
  type RunInfo,
  type RunStateEvent,
  type State,
} from '../../lib/index.node';

export { withVirtualTime, sleep, flaky } from '../../lib/testing/index.node';

/** Every state a cold run Observable emits, once it completes. */
export function collect<R>(states$: Observable<State<R>>): Promise<State<R>[]> {
  return lastValueFrom(states$.pipe(toArray()));
}

/** The names of `states`, in order. */
export function names(states: readonly State[]): string[] {
  return states.map((s) => s.name);
}

/** Asserts every state parses with StateSchema, is frozen, and follows the transition table. */
export function expectValidSequence(states: readonly State[]): void {
  let previous: State['name'] | null = null;
  for (const state of states) {
    expect(Object.isFrozen(state)).toBe(true);
    expect(StateSchema.safeParse(state).success).toBe(true);
    if (!canTransition(previous, state.name)) {
      throw new Error(
        `Illegal transition ${String(previous)} → ${state.name} in [${names(states).join(', ')}]`,
      );
    }
    previous = state.name;
  }
}

/** Records every event on runStates$ until `stop()`. */
export function recordRunStates(): {
  events: RunStateEvent[];
  /** The states of runs of the task or flow called `definitionName`, in order. */
  statesOf(definitionName: string): State[];
  /** The events of one run, by id. */
  ofRun(id: string): RunStateEvent[];
  /** The distinct runs seen, in the order of their first event. */
  runs(): RunInfo[];
  stop(): void;
} {
  const events: RunStateEvent[] = [];
  const subscription = runStates$.subscribe((e) => events.push(e));
  return {
    events,
    statesOf: (definitionName) =>
      events.filter((e) => e.run.definitionName === definitionName).map((e) => e.state),
    ofRun: (id) => events.filter((e) => e.run.id === id),
    runs: () => {
      const seen = new Map<string, RunInfo>();
      for (const e of events) if (!seen.has(e.run.id)) seen.set(e.run.id, e.run);
      return [...seen.values()];
    },
    stop: () => subscription.unsubscribe(),
  };
}

/** Captures what the engine reports (failing hooks) until `restore()`. */
export function captureReports(): { reports: { message: string; error: unknown }[]; restore: () => void } {
  const reports: { message: string; error: unknown }[] = [];
  const restore = setErrorReporter((message, error) => reports.push({ message, error }));
  return { reports, restore };
}

/** A promise with its resolve function outside. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Settles `promise` into a value, so a test can assert on a rejection's exact value. */
export function outcome<T>(
  promise: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/** The `OptionValidationError` a definition throws (fails the test if it throws another or none). */
export function definitionError(define: () => unknown): OptionValidationError {
  try {
    define();
  } catch (error) {
    expect(isOptionValidationError(error)).toBe(true);
    return error as OptionValidationError;
  }
  throw new Error('expected the definition to throw');
}
