import type { RunStateEvent } from '../../../internal/engine/bus.js';
import type { RunInfo } from '../../../internal/run-scope.js';
import type { State } from '../../../state/schema.js';

/** A run the reporter has seen and that has not ended yet. */
export interface RunNode {
  readonly id: string;
  /** The run as of its latest state (runCount changes per attempt). */
  run: RunInfo;
  state: State;
  readonly parent: RunNode | undefined;
  /** The outermost tracked ancestor (itself for a root). */
  readonly root: RunNode;
  readonly depth: number;
  /** Start order, for a stable tree. */
  readonly seq: number;
  /** The fan-out it belongs to: task runs sharing its parent and task name. */
  readonly fanOut: FanOut | undefined;
  /** Inside a collapsed fan-out (a member, or below one): shown through the fan-out's progress. */
  hidden: boolean;
  /** The attempt whose retry lines are shown although the run is hidden (0: none). */
  retryShown: number;
  /** Children shown one by one (not hidden), in start order. */
  readonly children: Map<string, RunNode>;
  /** Task runs it started, by task name. */
  readonly fanOuts: Map<string, FanOut>;
  /** On roots: what happened below, for the summary. */
  readonly totals: Totals | undefined;
}

/** Task runs sharing a parent and a task name: `resize ×5000`. */
export interface FanOut {
  readonly name: string;
  readonly parent: RunNode;
  readonly seq: number;
  /** Shown as one progress line instead of one line per run (`fanOutThreshold` runs in flight at once). */
  collapsed: boolean;
  total: number;
  ended: number;
  /** Ended Failed, TimedOut or Crashed. */
  failed: number;
  /** Ended Cancelled. */
  cancelled: number;
  /** Ended NotReady: an upstream run did not complete. */
  notReady: number;
  retries: number;
  /** Retries of hidden runs shown with lines of their own so far (see view.ts). */
  retryLines: number;
  /** Later retries are only counted: said once. */
  retriesMuted: boolean;
  /** Members not ended yet. */
  readonly active: Set<RunNode>;
  /** The ended count last shown as a progress line (lines mode), and its tenth. */
  shownEnded: number;
  shownTenth: number;
}

/** Final states below a root run, by kind and state name, and the retries made. */
export interface Totals {
  readonly task: Map<string, number>;
  readonly flow: Map<string, number>;
  retries: number;
}

/** What one event did to the tracker. */
export interface Change {
  readonly node: RunNode;
  readonly state: State;
  /** The run's last state: it is no longer tracked. */
  readonly ended: boolean;
  /** A fan-out that collapsed because of this run. */
  readonly collapsed: FanOut | undefined;
  /** A collapsed fan-out's member ended: its progress moved. */
  readonly progressed: FanOut | undefined;
}

/** True for a run's last state (NotReady is the last state of a run whose upstream failed). */
export function isLast(state: State): boolean {
  const t = state.type;
  return (
    t === 'COMPLETED' || t === 'FAILED' || t === 'CANCELLED' || t === 'CRASHED' || state.name === 'NotReady'
  );
}

/**
 * The runs in flight as a tree, fed by `runStates$`: a node per run from its first state to its
 * last, so only runs that have not ended are held (and the fan-outs and totals of those).
 */
export class RunTracker {
  readonly roots = new Map<string, RunNode>();
  private readonly nodes = new Map<string, RunNode>();
  private seq = 0;

  constructor(private readonly fanOutThreshold: number) {}

  /** How many runs are tracked (started, not ended). */
  get size(): number {
    return this.nodes.size;
  }

  apply({ run, state }: RunStateEvent): Change {
    let node = this.nodes.get(run.id);
    let collapsed: FanOut | undefined;
    if (node === undefined) {
      node = this.create(run, state);
      const fanOut = node.fanOut;
      // Runs in flight together, not runs in total: a loop calling a task one run at a time
      // stays a list of runs; a map, or a burst of submits, becomes one progress line.
      if (fanOut !== undefined && !fanOut.collapsed && fanOut.active.size >= this.fanOutThreshold) {
        this.collapse(fanOut);
        collapsed = fanOut;
      }
    }
    node.run = run;
    node.state = state;
    const fanOut = node.fanOut;
    if (state.name === 'Retrying') {
      if (node.root.totals !== undefined) node.root.totals.retries++;
      if (fanOut !== undefined) fanOut.retries++;
    }
    const ended = isLast(state);
    let progressed: FanOut | undefined;
    if (ended) {
      this.remove(node);
      if (fanOut !== undefined) {
        fanOut.ended++;
        if (state.type === 'FAILED' || state.type === 'CRASHED') fanOut.failed++;
        else if (state.type === 'CANCELLED') fanOut.cancelled++;
        else if (state.name === 'NotReady') fanOut.notReady++;
        if (fanOut.collapsed) progressed = fanOut;
      }
      const totals = node.root.totals;
      if (totals !== undefined && node.root !== node) {
        const byName = totals[node.run.kind];
        byName.set(state.name, (byName.get(state.name) ?? 0) + 1);
      }
    }
    return { node, state, ended, collapsed, progressed };
  }

  private create(run: RunInfo, state: State): RunNode {
    const parent = run.parentRunId === undefined ? undefined : this.nodes.get(run.parentRunId);
    let fanOut: FanOut | undefined;
    if (parent !== undefined && run.kind === 'task') {
      fanOut = parent.fanOuts.get(run.definitionName);
      if (fanOut === undefined) {
        fanOut = {
          name: run.definitionName,
          parent,
          seq: this.seq,
          collapsed: false,
          total: 0,
          ended: 0,
          failed: 0,
          cancelled: 0,
          notReady: 0,
          retries: 0,
          retryLines: 0,
          retriesMuted: false,
          active: new Set(),
          shownEnded: 0,
          shownTenth: 0,
        };
        parent.fanOuts.set(run.definitionName, fanOut);
      }
      fanOut.total++;
    }
    const hidden = parent !== undefined && (parent.hidden || fanOut?.collapsed === true);
    const node: RunNode = {
      id: run.id,
      run,
      state,
      parent,
      root: undefined as unknown as RunNode,
      depth: parent === undefined ? 0 : parent.depth + 1,
      seq: this.seq++,
      fanOut,
      hidden,
      retryShown: 0,
      children: new Map(),
      fanOuts: new Map(),
      totals:
        parent === undefined && run.kind === 'flow'
          ? { task: new Map(), flow: new Map(), retries: 0 }
          : undefined,
    };
    (node as { root: RunNode }).root = parent?.root ?? node;
    this.nodes.set(run.id, node);
    fanOut?.active.add(node);
    if (parent === undefined) this.roots.set(run.id, node);
    else if (!hidden) parent.children.set(run.id, node);
    return node;
  }

  private collapse(fanOut: FanOut): void {
    fanOut.collapsed = true;
    for (const member of fanOut.active) {
      fanOut.parent.children.delete(member.id);
      hide(member);
    }
  }

  private remove(node: RunNode): void {
    this.nodes.delete(node.id);
    node.fanOut?.active.delete(node);
    if (node.parent === undefined) this.roots.delete(node.id);
    else node.parent.children.delete(node.id);
  }
}

function hide(node: RunNode): void {
  node.hidden = true;
  for (const child of node.children.values()) hide(child);
  node.children.clear();
}
