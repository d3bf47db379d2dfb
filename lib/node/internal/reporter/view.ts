import type { State } from '../../../state/schema.js';
import type { Change, FanOut, RunNode } from './run-tracker.js';

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
 * @internal How many retries inside one collapsed fan-out get lines of their own (each retry's
 * `AwaitingRetry` and `Retrying`); later ones are only counted on its progress line, so a map
 * of 500 flaky runs does not bury its progress under a thousand retry lines.
 */
export const FAN_OUT_RETRY_LINES = 3;

/**
 * @internal What a run hidden in a collapsed fan-out gets for `state`: a line of its own
 * (failures; the first {@link FAN_OUT_RETRY_LINES} retries, both states of each), the note that
 * later retries are only counted (once, `mute`, with the fan-out), or nothing. Cancelled and
 * NotReady runs get nothing: they follow from another run's outcome, which has its own line, and
 * a cancelled fan-out would otherwise print a line per run.
 */
export function hiddenRunLine(node: RunNode, state: State): { line: boolean; mute: FanOut | undefined } {
  if (state.type === 'FAILED' || state.type === 'CRASHED') return SHOW;
  const retry =
    state.name === 'AwaitingRetry'
      ? node.run.runCount + 1
      : state.name === 'Retrying'
        ? (state.details?.runCount ?? node.run.runCount)
        : 0;
  if (retry === 0) return SKIP;
  if (node.retryShown === retry) return SHOW;
  const fanOut = collapsedFanOut(node);
  if (fanOut === undefined || fanOut.retryLines < FAN_OUT_RETRY_LINES) {
    if (fanOut !== undefined) fanOut.retryLines++;
    node.retryShown = retry;
    return SHOW;
  }
  if (fanOut.retriesMuted) return SKIP;
  fanOut.retriesMuted = true;
  return { line: false, mute: fanOut };
}

const SHOW = { line: true, mute: undefined } as const;
const SKIP = { line: false, mute: undefined } as const;

/** The collapsed fan-out that hides `node`: its own, or an ancestor's. */
function collapsedFanOut(node: RunNode): FanOut | undefined {
  for (let n: RunNode | undefined = node; n !== undefined; n = n.parent)
    if (n.fanOut?.collapsed === true) return n.fanOut;
  return undefined;
}
