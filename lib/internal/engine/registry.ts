import { setFallbackFrame, type Frame } from '../context.js';
import type { RunInfo } from '../run-scope.js';
import type { RunDriver } from './run-driver.js';
import { shared } from '../shared.js';

/** @internal A node of {@link RunList}: the driver carries its own links. */
export interface Listed {
  prevActive: Listed | undefined;
  nextActive: Listed | undefined;
  listed: boolean;
}

/**
 * @internal The active runs, as an intrusive doubly linked list. A `Set` here, with one add and
 * one delete per run, re-allocates its backing table under the churn; the table lives in old
 * space and drags each run's objects into old space with it (measured: +40 MB over a million
 * runs, reclaimed only by a full GC). Links held by the drivers themselves allocate nothing.
 */
export class RunList<T extends Listed> implements Iterable<T> {
  private head: T | undefined = undefined;
  private tail: T | undefined = undefined;

  add(node: T): void {
    if (node.listed) return;
    node.listed = true;
    node.prevActive = this.tail;
    node.nextActive = undefined;
    if (this.tail !== undefined) this.tail.nextActive = node;
    else this.head = node;
    this.tail = node;
  }

  delete(node: T): void {
    if (!node.listed) return;
    node.listed = false;
    const { prevActive: prev, nextActive: next } = node;
    if (prev !== undefined) prev.nextActive = next;
    else this.head = next as T | undefined;
    if (next !== undefined) next.prevActive = prev;
    else this.tail = prev as T | undefined;
    node.prevActive = node.nextActive = undefined;
  }

  has(node: T): boolean {
    return node.listed;
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let node = this.head; node !== undefined; node = node.nextActive as T | undefined) yield node;
  }
}

/** @internal Every run that has started and not yet finished, in start order. */
export const activeRuns = shared('activeRuns', () => new RunList<RunDriver>());

/**
 * @internal What stands for submitted runs queued without their driver: the `SubmitSite` of
 * their `submit` or `map` call (see futures/submit-site.ts and SubmittedRun.defer).
 */
export interface DeferredRun extends Listed {
  /** Builds and starts the drivers of its runs (each publishes Pending and joins {@link activeRuns}). */
  build(): unknown;
}

/** @internal The calls with submitted runs queued without a driver, in the order they first queued one. */
export const deferredRuns = shared('deferredRuns', () => new RunList<DeferredRun>());

/**
 * @internal Builds every deferred run, so that whoever looks next finds each of them in
 * {@link activeRuns}: the client before it reads runs, the shutdown handler before it crashes them.
 */
export function buildDeferredRuns(): void {
  for (const run of [...deferredRuns]) run.build();
}

/** Frames of running flow attempts, by flow run id. */
const flowFrames = shared('flowFrames', () => new Map<string, Frame>());

/** @internal Records a flow attempt's frame until the returned function is called. */
export function trackFlowFrame(frame: Frame): () => void {
  const id = frame.run!.info.id;
  flowFrames.set(id, frame);
  return () => {
    if (flowFrames.get(id) === frame) flowFrames.delete(id);
  };
}

/** The ids of a flow frame and of its enclosing flow runs that are still active, innermost first. */
function chainOf(frame: Frame): string[] {
  const chain: string[] = [];
  for (let f: Frame | undefined = frame; f !== undefined;) {
    const info: RunInfo = f.run!.info;
    chain.push(info.id);
    f = info.flowRunId === undefined ? undefined : flowFrames.get(info.flowRunId);
  }
  return chain;
}

/**
 * Without AsyncLocalStorage (browsers), a run started after its flow body's first `await`
 * cannot see the body's frame. It then links to the innermost active flow run, provided the
 * active flow runs form a single chain (one flow, or a flow and the subflows it is awaiting);
 * with unrelated flows active at once there is no safe guess, and the run is standalone.
 */
setFallbackFrame(() => {
  if (flowFrames.size === 0) return undefined;
  let innermost: Frame | undefined;
  let chain: string[] = [];
  for (const frame of flowFrames.values()) {
    const c = chainOf(frame);
    if (c.length > chain.length) {
      innermost = frame;
      chain = c;
    }
  }
  return chain.length === flowFrames.size ? innermost : undefined;
});
