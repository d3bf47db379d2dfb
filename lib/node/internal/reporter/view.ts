import type { State } from '../../../state/schema.js';
import type { Change } from './run-tracker.js';

/** @internal How the reporter shows changes: one line each, or a live tree. */
export interface ReporterView {
  /** `time` is the change's time column, already formatted. */
  onChange(change: Change, time: string): void;
  /** Writes what is still due and releases the stream; no timer is left. */
  stop(): void;
}

/** @internal What both views share, resolved from the reporter's options. */
export interface ViewSettings {
  readonly color: boolean;
  readonly results: boolean;
  readonly summary: boolean;
  /** Formats a time column for any instant (the retry time of AwaitingRetry, say). */
  readonly timeOf: (at: Date) => string;
}

/**
 * States of a run inside a collapsed fan-out that still get a line of their own: failures and
 * retries. Cancelled and NotReady runs are not: they follow from another run's outcome, which
 * has its own line, and a cancelled fan-out would otherwise print a line per run.
 */
export function isNotable(state: State): boolean {
  return (
    state.type === 'FAILED' ||
    state.type === 'CRASHED' ||
    state.name === 'AwaitingRetry' ||
    state.name === 'Retrying'
  );
}
