import type { ArtifactRecord } from '../artifacts/artifact-record.js';
import type { LogRecord } from '../logging/log-record.js';
import type { Definition } from '../internal/options.js';
import type { RunInfo } from '../internal/run-scope.js';
import type { State } from '../state/schema.js';
import type { StoredRun } from './run-store.js';
import { keepShape } from '../internal/keep-shape.js';
import { shared } from '../internal/shared.js';

const NO_LOGS: readonly LogRecord[] = Object.freeze([]);
const NO_ARTIFACTS: readonly ArtifactRecord[] = Object.freeze([]);
// Shared by every copy of rxflow in the process (see shared.ts), as the run store is.
const created = shared('runEntries', () => ({ count: 0 }));

/**
 * @internal The engine's record of one run, handed to the run store with every call about it.
 * One per run, so it is a class with every field set in the constructor (one hidden class) and
 * no arrays until needed: the first three states (a run without retries has three) are fields,
 * later ones go to an array; `states` builds the list when read, which is rare. The memory store
 * gives `logs` and `artifacts` their own arrays on their first record.
 */
export class RunEntry implements StoredRun {
  /** Creation order, for sorting runs created in the same millisecond. */
  readonly seq = ++created.count;
  logs: readonly LogRecord[] = NO_LOGS;
  artifacts: readonly ArtifactRecord[] = NO_ARTIFACTS;
  /** The final state's time in ms, once the run has ended. */
  endedAt = NaN;
  private count = 0;
  private s0: State | undefined = undefined;
  private s1: State | undefined = undefined;
  private s2: State | undefined = undefined;
  private more: State[] | undefined = undefined;

  constructor(
    public info: RunInfo,
    /** The nearest enclosing flow run's entry (a task run's logs and artifacts are also its). */
    readonly flow: RunEntry | undefined,
    /** For a flow run: what `retryFlowRun` calls again (the flow, its definition, its arguments). */
    readonly rerun: Rerun | undefined,
  ) {}

  /** Every state so far, in order (a new array on each read). */
  get states(): readonly State[] {
    const n = this.count;
    const out: State[] = [];
    if (n > 0) out.push(this.s0!);
    if (n > 1) out.push(this.s1!);
    if (n > 2) out.push(this.s2!);
    if (this.more !== undefined) out.push(...this.more);
    // A state put back by replaceLast is frozen here, when first read, not on the hot path.
    if (n > 0) Object.freeze(out[n - 1]);
    return out;
  }

  /** The latest state. */
  get last(): State | undefined {
    const n = this.count;
    const last =
      n === 0 ? undefined : n === 1 ? this.s0 : n === 2 ? this.s1 : n === 3 ? this.s2 : this.more!.at(-1);
    return last === undefined ? undefined : Object.freeze(last);
  }

  /** Appends the run's next state. */
  add(state: State): void {
    const n = this.count++;
    if (n === 0) this.s0 = state;
    else if (n === 1) this.s1 = state;
    else if (n === 2) this.s2 = state;
    else (this.more ??= []).push(state);
  }

  /**
   * Replaces the latest state (the memory store drops a final state's result this way). The
   * replacement may be unfrozen: `states` and `last` freeze it before anyone sees it.
   */
  replaceLast(state: State): void {
    const n = this.count;
    if (n === 1) this.s0 = state;
    else if (n === 2) this.s1 = state;
    else if (n === 3) this.s2 = state;
    else if (n > 3) this.more![this.more!.length - 1] = state;
  }
}

/** @internal What re-runs a flow run: its callable, definition, (parsed) arguments and `this`. */
export interface Rerun {
  readonly owner: unknown;
  readonly def: Definition;
  readonly args: readonly unknown[];
  /** The body's `this` when the flow was called as a method. */
  readonly self: unknown;
}

/** @internal Whether `entry` is an engine entry of this copy of the library. */
export function isRunEntry(entry: unknown): entry is RunEntry {
  return entry instanceof RunEntry;
}

keepShape(new RunEntry(Object.freeze({}) as RunInfo, undefined, undefined)); // see keep-shape.ts
