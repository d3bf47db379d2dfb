import type { State } from './schema.js';

type Of<T extends State['type']> = Extract<State, { type: T }>;

/** True for the terminal types: COMPLETED, FAILED, CANCELLED, CRASHED. */
export function isFinal(state: State): boolean {
  const t = state.type;
  return t === 'COMPLETED' || t === 'FAILED' || t === 'CANCELLED' || t === 'CRASHED';
}
/** True for COMPLETED states (`Completed`, `Cached`). */
export const isCompleted = (state: State): state is Of<'COMPLETED'> => state.type === 'COMPLETED';
/** True for FAILED states (`Failed`, `TimedOut`). */
export const isFailed = (state: State): state is Of<'FAILED'> => state.type === 'FAILED';
/** True for CANCELLED states. */
export const isCancelled = (state: State): state is Of<'CANCELLED'> => state.type === 'CANCELLED';
/** True for CRASHED states. */
export const isCrashed = (state: State): state is Of<'CRASHED'> => state.type === 'CRASHED';
/** True for PAUSED states. */
export const isPaused = (state: State): state is Of<'PAUSED'> => state.type === 'PAUSED';
/** True for SCHEDULED states (`Scheduled`, `AwaitingRetry`, ...). */
export const isScheduled = (state: State): state is Of<'SCHEDULED'> => state.type === 'SCHEDULED';
/** True for RUNNING states (`Running`, `Retrying`). */
export const isRunning = (state: State): state is Of<'RUNNING'> => state.type === 'RUNNING';
/** True for PENDING states (`Pending`, `NotReady`). */
export const isPending = (state: State): state is Of<'PENDING'> => state.type === 'PENDING';
