import { STATE_NAMES, type State, type StateDetails, type StateName, type StateType } from './schema.js';

/** Fields a state may be created with, besides its type, name and timestamp. */
export interface StateInit<R> {
  message?: string;
  data?: R;
  error?: unknown;
  details?: StateDetails;
}

/**
 * Creates a frozen state. The engine calls it with the clock's time; `name` must belong to
 * `type` (see `STATE_NAMES`). `init.details` is frozen in place and becomes the state's
 * `details`: pass a fresh object.
 * @example
 * ```ts
 * const done = createState('COMPLETED', 'Completed', new Date(), { data: 42 });
 * ```
 */
export function createState<R = unknown, T extends StateType = StateType>(
  type: T,
  name: (typeof STATE_NAMES)[T][number],
  timestamp: Date,
  init?: StateInit<R>,
): State<R> {
  const names: readonly StateName[] | undefined = STATE_NAMES[type];
  if (names === undefined || !names.includes(name)) {
    throw new TypeError(`createState: '${String(name)}' is not a name of state type '${String(type)}'`);
  }
  return makeState(type, name, timestamp, init);
}

/**
 * @internal {@link createState} without the name check, for the engine, whose names are fixed
 * by its types (`createState`'s signature) and its tests: it creates several states per run.
 */
export function makeState<R = unknown, T extends StateType = StateType>(
  type: T,
  name: (typeof STATE_NAMES)[T][number],
  timestamp: Date,
  init?: StateInit<R>,
): State<R> {
  // A result's state (the commonest with a payload) as one literal: `data` in-object, where adding
  // it to a three-field literal would allocate a property array beside it.
  if (
    init !== undefined &&
    'data' in init &&
    init.message === undefined &&
    !('error' in init) &&
    init.details === undefined
  ) {
    return Object.freeze({ type, name, timestamp, data: init.data }) as State<R>;
  }
  const state = { type, name, timestamp } as { -readonly [K in keyof State<R>]: State<R>[K] };
  if (init !== undefined) {
    if (init.message !== undefined) state.message = init.message;
    if ('data' in init) state.data = init.data;
    if ('error' in init) state.error = init.error;
    if (init.details !== undefined) state.details = Object.freeze(init.details);
  }
  return Object.freeze(state) as State<R>;
}

/**
 * @internal A state with only a type, a name and a timestamp, shared by every run that reaches
 * it at the same timestamp `Date` (which {@link makeState}'s callers already share within a
 * millisecond, see internal/timestamp.ts). States are frozen values, so sharing one is invisible
 * except to identity checks; it spares a task run two allocations and two `Object.freeze` calls,
 * which cost more than the rest of making a state.
 */
export class SharedState<T extends StateType> {
  private last: State<never> | undefined = undefined;

  constructor(
    private readonly type: T,
    private readonly name: (typeof STATE_NAMES)[T][number],
    /** Fields every state of this kind has (a retry's `details.runCount`); no data, no error. */
    private readonly init?: Omit<StateInit<never>, 'data' | 'error'>,
  ) {}

  /** The state at `timestamp`: the last one made if it has that very Date, else a new one. */
  at(timestamp: Date): State<never> {
    const last = this.last;
    if (last !== undefined && last.timestamp === timestamp) return last;
    return (this.last = makeState<never>(this.type, this.name, timestamp, this.init));
  }
}

/** @internal `Pending`, shared per timestamp. */
export const PENDING_STATE = new SharedState('PENDING', 'Pending');
/** @internal `Running`, shared per timestamp. */
export const RUNNING_STATE = new SharedState('RUNNING', 'Running');
