import { UpstreamTaskError } from '../errors/upstream-task-error.js';
import { RunDriver, type RunSink, type Submission } from '../internal/engine/run-driver.js';
import {
  newRunId,
  reservedRunName,
  reserveRunId,
  runIdPrefix,
  runIdText,
  taskRunName,
} from '../internal/ids.js';
import type { SubmitSite, Unbuilt } from './submit-site.js';
import { settleOutstanding, type RunInfo } from '../internal/run-scope.js';
import type { TaskRunnerCall, TaskRunnerJob } from '../runners/task-runner.js';
import type { State } from '../state/schema.js';
import { keepShape } from '../internal/keep-shape.js';
import { shared } from '../internal/shared.js';
import { report } from '../internal/report.js';

/** @internal A future among a run's arguments or `waitFor` list, and whether it may fail. */
export interface Upstream {
  readonly run: SubmittedRun;
  readonly allowFailure: boolean;
}

// One order of completion for the futures of every copy of rxflow in the process (see shared.ts).
const completions = shared('completions', () => ({ count: 0 }));

/** What a run that has upstreams also holds. */
interface Dependencies {
  readonly upstreams: readonly Upstream[];
  readonly upstreamRunIds: readonly string[];
  readonly substitute: ((resolve: (u: unknown) => unknown) => unknown[]) | undefined;
}

/** Bits of {@link SubmittedRun}'s `flags`. */
const DEFERRED = 1; // submitted unbuilt (see defer)
const UNBUILT = 2; // deferred and its driver not built yet
const QUEUED = 4; // deferred and in the runner's queue
const LONE_ARG = 8; // the unbuilt payload is the only argument, not the arguments array
const ENDED = 16; // done: `latest` is the final state
const ENTERED = 32; // its driver has handed itself to `enter` (it is ready to proceed)

/**
 * @internal The engine side of one submitted run: the driver's sink (it records states), the
 * runner's job (the runner starts it), and the submission (it resolves upstreams first).
 * `TaskRunFuture` is its public face. A run queued unbuilt by `map` is the bulk of a large
 * fan-out's memory, so its fields are few: what its call shares is in {@link SubmitSite}, what
 * only runs with upstreams need is in one object.
 */
export class SubmittedRun implements RunSink, TaskRunnerJob, Submission, Unbuilt {
  /** The run's driver while it runs; dropped at the end so a finished run keeps only its info and state. */
  driver: RunDriver | undefined = undefined;
  latest: State | undefined = undefined;
  /** Order in which runs ended, process-wide: `asCompleted` sorts runs that ended already. */
  completedAt = 0;
  private listeners: ((state: State, done: boolean) => void)[] | undefined = undefined;
  /** End callbacks: one function (the common case, no array) or several. */
  private ended: ((run: SubmittedRun) => void) | ((run: SubmittedRun) => void)[] | undefined = undefined;
  private flags = 0;
  /**
   * What the run holds at each stage, one at a time: unbuilt, its arguments (or its lone
   * argument, with LONE_ARG); started, the runner's end callback; ended, unless deferred, its
   * RunInfo (a deferred run names itself from its site and id).
   */
  private held: unknown = undefined;
  /** A deferred run's id: with `idCounter` ≥ 0, the prefix of a reserved id (see ids.ts); else the id itself. */
  private idText: string | undefined = undefined;
  private idCounter = -1;
  private readonly deps: Dependencies | undefined;

  constructor(
    readonly site: SubmitSite,
    upstreams: readonly Upstream[] | undefined,
    substitute: ((resolve: (u: unknown) => unknown) => unknown[]) | undefined,
  ) {
    this.deps =
      upstreams === undefined
        ? undefined
        : {
            upstreams,
            upstreamRunIds: Object.freeze([...new Set(upstreams.map((u) => u.run.runId))]),
            substitute,
          };
  }

  get upstreamRunIds(): readonly string[] | undefined {
    return this.deps?.upstreamRunIds;
  }

  /** The runner's `execute` when it runs bodies elsewhere (a worker thread); else undefined. */
  get execute(): ((call: TaskRunnerCall) => unknown) | undefined {
    const runner = this.site.runner;
    return runner.execute === undefined ? undefined : (call) => runner.execute!(call);
  }

  get runId(): string {
    const driver = this.driver;
    if (driver?.info !== undefined) return driver.info.id;
    return this.presetId ?? this.info!.id;
  }

  get runName(): string {
    return this.presetName ?? (this.driver?.info ?? this.info!).name;
  }

  /** The run's last state once it has ended (a final one, or `NotReady`). */
  get final(): State | undefined {
    return (this.flags & ENDED) !== 0 ? this.latest : undefined;
  }

  /** A run not deferred keeps its RunInfo once it has ended. */
  private get info(): RunInfo | undefined {
    return (this.flags & (ENDED | DEFERRED)) === ENDED ? (this.held as RunInfo) : undefined;
  }

  /**
   * A deferred run's id, fixed at submit. A reserved id is written out on each read rather than
   * kept: a finished run of a large `map` then holds no 36-character string (the running driver
   * has it in its info).
   */
  get presetId(): string | undefined {
    return this.idCounter >= 0 ? runIdText(this.idText!, this.idCounter) : this.idText;
  }

  /** A deferred run's default name (its task's name and its id's last three digits). */
  get presetName(): string | undefined {
    if ((this.flags & DEFERRED) === 0) return undefined;
    const name = this.site.def.name;
    return this.idCounter >= 0 ? reservedRunName(name, this.idCounter) : taskRunName(name, this.idText!);
  }

  /** A deferred run's Pending time: that of the Pending state told at submit (read as its driver is built, while that state is still its latest). */
  get presetStart(): Date | undefined {
    return (this.flags & DEFERRED) === 0 ? undefined : this.latest!.timestamp;
  }

  /**
   * Queues the run without building it: a hundred thousand mapped runs waiting for a runner
   * slot then hold an id, a Pending state and their arguments, not a driver, a store entry and a
   * RunInfo each, which otherwise all outlive a few scavenges and are copied into old space (B1).
   * The driver is built when the runner starts the run, or when it is cancelled first. `submit`
   * defers only when nothing could tell the difference (`site.deferrable`, and per run): nobody
   * listens on `runStates$`, the run store is the memory store (it keeps ended runs only), no virtual time,
   * no run-name function or template, no parameter schema, no `logPrints`; and no upstreams.
   * `lone` says that `payload` is the only argument rather than the arguments array (one array
   * less per queued run of a one-argument `map`).
   */
  defer(payload: unknown, lone: boolean): void {
    const site = this.site;
    const frame = site.frame;
    this.held = payload;
    this.flags = DEFERRED | UNBUILT | (lone ? LONE_ARG : 0);
    const counter = reserveRunId(frame.clock);
    if (counter === undefined) this.idText = newRunId(frame.clock);
    else {
      this.idText = runIdPrefix();
      this.idCounter = counter;
    }
    this.latest = site.pendingState();
    // The site attaches to the parent's token, and builds this run at once if it has aborted.
    site.addUnbuilt(this);
    if ((this.flags & UNBUILT) !== 0) {
      this.flags |= QUEUED;
      this.submitToRunner();
    }
  }

  /**
   * Hands the run to its runner. A runner whose `submit` throws breaks its contract: the run
   * would stay Pending and its flow run would wait for it forever, so it ends Crashed with that
   * error instead (a run queued unbuilt is built for that).
   */
  private submitToRunner(): void {
    try {
      this.site.runner.submit(this);
    } catch (error) {
      const driver = (this.flags & UNBUILT) !== 0 ? this.build() : this.driver;
      driver?.crash(error);
    }
  }

  /**
   * Builds and starts the driver of a deferred run (it publishes its Pending now); `release`
   * when the runner is starting it (the driver then proceeds at once).
   */
  build(release?: () => void): RunDriver {
    const payload = this.held;
    const args = (this.flags & LONE_ARG) !== 0 ? [payload] : (payload as unknown[]);
    this.held = release;
    this.flags &= ~UNBUILT;
    this.site.builtOne();
    const { def, owner, frame } = this.site;
    const driver = new RunDriver(def, owner, args, frame, this, this);
    this.driver = driver;
    driver.start();
    return driver;
  }

  get isUnbuilt(): boolean {
    return (this.flags & UNBUILT) !== 0;
  }

  /** Builds the driver of a run still queued unbuilt (its site is building them all). */
  buildIfUnbuilt(): void {
    // The parent may have aborted: the driver then sees its aborted token as it starts, and ends Cancelled.
    if ((this.flags & UNBUILT) !== 0) this.build();
  }

  /** Cancels the run if it has not ended. */
  cancel(): void {
    if ((this.flags & UNBUILT) !== 0) this.build().cancel();
    else this.driver?.cancel();
  }

  next(state: State): void {
    // A deferred run's Pending was told at submit (`latest`); its driver publishes it again.
    if (state.name === 'Pending' && this.latest?.name === 'Pending' && (this.flags & DEFERRED) !== 0) {
      this.latest = state;
      return;
    }
    this.latest = state;
    const listeners = this.listeners;
    if (listeners !== undefined) for (const listener of [...listeners]) listener(state, false);
  }

  done(state: State): void {
    const release = this.held as (() => void) | undefined;
    this.latest = state;
    this.flags |= ENDED;
    // What runId and runName read once the driver is gone (a deferred run has them already).
    this.held = (this.flags & DEFERRED) === 0 ? this.driver!.info : undefined;
    this.driver = undefined;
    this.completedAt = ++completions.count;
    release?.();
    const scope = this.site.scope;
    if (scope !== undefined) settleOutstanding(scope);
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners !== undefined) for (const listener of listeners) listener(state, true);
    const ended = this.ended;
    this.ended = undefined;
    if (typeof ended === 'function') ended(this);
    else if (ended !== undefined) for (const fn of ended) callEnded(fn, this);
  }

  /** Calls `listener` with each later state; `done` is true for the call after the last state. */
  listen(listener: (state: State, done: boolean) => void): () => void {
    (this.listeners ??= []).push(listener);
    return () => {
      const list = this.listeners;
      const i = list === undefined ? -1 : list.indexOf(listener);
      if (i >= 0) list!.splice(i, 1);
    };
  }

  /** Calls `fn` with this run once it has ended (at once if it has); returns a remover. */
  whenEnded(fn: (run: SubmittedRun) => void): () => void {
    this.onEnded(fn);
    return () => {
      const now = this.ended;
      if (now === fn) this.ended = undefined;
      else if (Array.isArray(now)) {
        const i = now.indexOf(fn);
        if (i >= 0) now.splice(i, 1);
      }
    };
  }

  /**
   * {@link whenEnded} without a remover: a `map` list registers one shared callback on each of
   * its runs, and a closure per run would be kept alive as long as the run is queued.
   */
  onEnded(fn: (run: SubmittedRun) => void): void {
    if (this.final !== undefined) return fn(this);
    const ended = this.ended;
    if (ended === undefined) this.ended = fn;
    else if (typeof ended === 'function') this.ended = [ended, fn];
    else ended.push(fn);
  }

  enter(driver: RunDriver): void {
    this.flags |= ENTERED;
    if ((this.flags & QUEUED) !== 0) {
      // A deferred run built when the runner started it proceeds at once; one built because it
      // was cancelled is still in the runner's queue, which will find it ended.
      if (this.held !== undefined) driver.proceed();
      return;
    }
    const deps = this.deps;
    if (deps === undefined) {
      this.submitToRunner();
      return;
    }
    const { upstreams, substitute } = deps;
    let left = upstreams.length;
    const check = () => {
      if (--left !== 0) return;
      if (driver.ended) return;
      for (const upstream of upstreams) {
        const state = upstream.run.final!;
        if (!upstream.allowFailure && state.type !== 'COMPLETED') {
          const cause = 'error' in state ? state.error : undefined;
          driver.notReady(new UpstreamTaskError(upstream.run.runId, upstream.run.runName, cause));
          return;
        }
      }
      try {
        // User values: a revoked Proxy among the arguments throws here. This runs in the
        // upstream's end callbacks, so a throw must crash this run, not escape into them.
        if (substitute !== undefined) driver.resolveArguments(substitute(resolveValue));
      } catch (error) {
        driver.crash(error);
        return;
      }
      this.submitToRunner();
    };
    for (const upstream of upstreams) upstream.run.whenEnded(check);
  }

  start(onEnd: () => void): void {
    if ((this.flags & UNBUILT) !== 0) {
      this.build(onEnd);
      return;
    }
    // A parent cancelled while this run was queued: its abort listeners may not have reached
    // this run yet (a slot freed by an earlier sibling's cancellation starts it mid-abort).
    const driver = this.driver;
    const parent = driver?.frame.run;
    if (parent !== undefined && parent.token.aborted) driver!.cancel(parent.token.reason);
    if (this.final !== undefined || driver === undefined || driver.ended) {
      onEnd();
      return;
    }
    this.held = onEnd;
    // A queued run built before the runner reached it (a client read) may be started from
    // inside its own build, by a listener of its Pending: `enter` proceeds then, not twice.
    if ((this.flags & ENTERED) !== 0) driver.proceed();
  }
}

/** The value a resolved upstream passes on: its result, or (allowFailure) its error. */
function resolveValue(value: unknown): unknown {
  const run = value as SubmittedRun;
  const state = run.final!;
  if (state.type === 'COMPLETED') return state.data;
  return 'error' in state ? state.error : undefined;
}

// See keep-shape.ts: an idle submission that is never started.
keepShape(new SubmittedRun({} as SubmitSite, undefined, undefined));

/** One of several end callbacks: a throw is reported, and the others still run. */
function callEnded(fn: (run: SubmittedRun) => void, run: SubmittedRun): void {
  try {
    fn(run);
  } catch (error) {
    report(`a callback on the end of run '${run.runName}' failed`, error);
  }
}
