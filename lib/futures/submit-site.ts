import type { AbortChild, CancelToken } from '../internal/cancel-token.js';
import { nowDate } from '../internal/clock.js';
import type { Frame } from '../internal/context.js';
import { deferredRuns, type DeferredRun, type Listed } from '../internal/engine/registry.js';
import { keepShape } from '../internal/keep-shape.js';
import type { Definition } from '../internal/options.js';
import type { FlowScope } from '../internal/run-scope.js';
import type { TaskRunner } from '../runners/task-runner.js';
import { PENDING_STATE } from '../state/create-state.js';
import type { State } from '../state/schema.js';

/** @internal What a {@link SubmitSite} builds: one of its runs queued without a driver. */
export interface Unbuilt {
  /** Whether its driver is still to be built. */
  readonly isUnbuilt: boolean;
  /** Builds the run's driver if it has none yet. */
  buildIfUnbuilt(): void;
}

/**
 * @internal What the runs of one `submit` or `map` call share, so that each of a hundred
 * thousand queued runs holds one reference instead of a dozen fields. The site also stands for
 * its runs queued without a driver (SubmittedRun.defer): it is the one entry in the list of
 * deferred runs and the one child of the parent run's cancel token for all of them, and builds
 * them when the parent aborts or someone needs to see them (client reads, shutdown).
 */
export class SubmitSite implements AbortChild, DeferredRun {
  prevChild: AbortChild | undefined = undefined;
  nextChild: AbortChild | undefined = undefined;
  parentToken: CancelToken | undefined = undefined;
  prevActive: Listed | undefined = undefined;
  nextActive: Listed | undefined = undefined;
  listed = false;
  /** The Pending state told by the site's deferred runs: one clock read per call. */
  private pending: State | undefined = undefined;
  /**
   * The runs queued unbuilt, in submission order, read from `head`: runs built in that order
   * (the runner's) leave at once, one built out of order when the head reaches it, so a run that
   * has ended is not kept alive here (its result with it) while later runs of the call wait.
   */
  private unbuilt: (Unbuilt | undefined)[] | undefined = undefined;
  private head = 0;
  private unbuiltCount = 0;

  constructor(
    readonly def: Definition,
    readonly owner: unknown,
    readonly frame: Frame,
    readonly runner: TaskRunner,
    readonly scope: FlowScope | undefined,
    /** Whether, as far as the definition and the frame go, runs without upstreams may wait unbuilt (SubmittedRun.defer). */
    readonly deferrable: boolean,
  ) {}

  /** The Pending state of a run deferred now; the same for every run of this call. */
  pendingState(): State {
    return (this.pending ??= PENDING_STATE.at(nowDate(this.frame.clock)));
  }

  /**
   * Registers a run queued unbuilt. The first one lists the site among the deferred runs and
   * attaches it to the parent run's token, which builds it at once if the parent has aborted.
   */
  addUnbuilt(run: Unbuilt): void {
    (this.unbuilt ??= []).push(run);
    if (this.unbuiltCount++ === 0) {
      deferredRuns.add(this);
      this.frame.run?.token.attach(this);
    }
  }

  /** One of its unbuilt runs was built: once none is left, the site leaves both lists. */
  builtOne(): void {
    if (--this.unbuiltCount !== 0) {
      const runs = this.unbuilt!;
      while (runs[this.head]?.isUnbuilt === false) runs[this.head++] = undefined;
      return;
    }
    this.unbuilt = undefined;
    this.head = 0;
    deferredRuns.delete(this);
    this.parentToken?.detach(this);
  }

  /** Builds every run still unbuilt, in submission order. */
  build(): void {
    const runs = this.unbuilt;
    if (runs === undefined) return;
    for (let i = this.head; i < runs.length && this.unbuilt === runs; i++) runs[i]?.buildIfUnbuilt();
  }

  /** The parent run stopped: its queued runs are built, see its aborted token and end Cancelled. */
  parentAborted(): void {
    this.build();
  }
}

// See keep-shape.ts: an idle site that never defers a run.
keepShape(new SubmitSite({} as Definition, undefined, {} as Frame, {} as TaskRunner, undefined, false));
