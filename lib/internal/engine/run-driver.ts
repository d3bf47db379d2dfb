import { CancelledError, isCancelledError } from '../../errors/cancelled-error.js';
import { CrashedError } from '../../errors/crashed-error.js';
import { ParameterValidationError } from '../../errors/parameter-validation-error.js';
import {
  prepareStates,
  StatesLoop,
  type StatesSettings,
  type StatesSink,
} from '../../operators/to-states.js';
import { makeState, PENDING_STATE } from '../../state/create-state.js';
import type { State } from '../../state/schema.js';
import type { AbortChild, CancelToken } from '../cancel-token.js';
import { nowDate } from '../clock.js';
import { dateAt, pinNow, unpinNow } from '../timestamp.js';
import { applyInFrame, type Frame } from '../context.js';
import { flowRunName, newRunId, taskRunName } from '../ids.js';
import { adopt } from '../adopt.js';
import { describeError, functionName, isError } from '../describe-kind.js';
import { isThenable } from '../is-thenable.js';
import { describe, type Definition } from '../options.js';
import { bindParameters } from '../params.js';
import { report } from '../report.js';
import type { FlowScope, RunInfo, RunScope } from '../run-scope.js';
import type { TaskRunnerCall } from '../../runners/task-runner.js';
import { FUTURE_BRAND } from './future-brand.js';
import { stateBus } from './bus.js';
import { wrapBody } from './body-wrapper.js';
import { parseParameters } from './parse-parameters.js';
import { HOOK_BY_TYPE } from './outcomes.js';
import { activeRuns, trackFlowFrame, type Listed } from './registry.js';
import { TagSlots, tagLimitersFor, type TagSlotsOwner } from '../../limits/tag-limits.js';
import { holdsResultReference, resultOf } from '../../results/result-reference.js';
import { enterRunCache, type RunCache } from './run-cache.js';
import { RunEntry } from '../../client/run-entry.js';
import { runStoreSlot } from '../../client/run-store-slot.js';
import { holdConsole, releaseConsole } from '../../logging/log-prints.js';
import { outsideCapture } from '../../logging/print-guard.js';
import { keepShape } from '../keep-shape.js';
import { isPlainObject } from '../is-plain-object.js';

/** @internal Where a run's states go: the `run$` subscriber or a call's promise. */
export interface RunSink {
  /** Every state, in order, as it happens. */
  next(state: State): void;
  /** The last state, once the run's hooks have settled. */
  done(state: State): void;
  /** True once nobody listens any more (a `run$` subscriber that unsubscribed). */
  readonly closed?: boolean;
}

/**
 * @internal How a submitted run (`submit`/`map`) starts: instead of running its attempts at once,
 * the driver hands itself to `enter` after Pending, which resolves upstream futures, waits for a
 * runner slot, then calls {@link RunDriver.proceed} (or ends it with {@link RunDriver.notReady}).
 */
export interface Submission {
  readonly upstreamRunIds: readonly string[] | undefined;
  /** The runner's `execute` when it runs bodies elsewhere (a worker thread); else undefined. */
  readonly execute: ((call: TaskRunnerCall) => unknown) | undefined;
  /** Set when the run was submitted before its driver was built: its id, name and Pending time. */
  readonly presetId: string | undefined;
  readonly presetName: string | undefined;
  readonly presetStart: Date | undefined;
  enter(driver: RunDriver): void;
}

/**
 * @internal One run of a task or flow. Its attempts are `toStates`' loop over the body
 * (`StatesLoop`, what `fromAbortable(attempt).pipe(toStates(policy))` runs, without the
 * Observables): per-attempt timeout, retries and states. The driver adds what is run-specific: identity and
 * parameters, the context frame the body sees, publication on `runStates$`, hooks, links to
 * the parent run (its cancellation cancels this run), and the Pending / Cancelled / Crashed
 * states that happen outside the attempts.
 */
export class RunDriver implements Listed, StatesSink<unknown>, AbortChild, TagSlotsOwner {
  info!: RunInfo;
  /** The run's entry in the run store (lib/client): its history, logs and artifacts. */
  record!: RunEntry;
  /** Whether this run captures `console` (`logPrints`, own or inherited). */
  private printing = false;
  prevActive: Listed | undefined = undefined;
  nextActive: Listed | undefined = undefined;
  listed = false;
  state: State | undefined = undefined;
  private finished = false;
  /** The attempts (toStates' loop), while they run. */
  private loop: StatesLoop<unknown> | undefined = undefined;
  private pendingHooks: Promise<void>[] | undefined = undefined;
  /** Links among the children of the parent run's token (see CancelToken.attach). */
  prevChild: AbortChild | undefined = undefined;
  nextChild: AbortChild | undefined = undefined;
  parentToken: CancelToken | undefined = undefined;

  constructor(
    readonly def: Definition,
    private readonly owner: unknown,
    private readonly args: unknown[],
    readonly frame: Frame,
    private readonly sink: RunSink,
    private readonly submission?: Submission,
    /** The body's `this` when the task or flow was called as a method; else the definition's. */
    private readonly self?: unknown,
  ) {}

  /** Whether the run has reached its last state. */
  get ended(): boolean {
    return this.finished;
  }

  start(): void {
    try {
      this.begin();
    } finally {
      unpinNow();
    }
  }

  private begin(): void {
    let validationError: ParameterValidationError | undefined;
    try {
      validationError = this.identify();
    } catch (error) {
      this.identifyFallback();
      this.emit(PENDING_STATE.at(nowDate(this.frame.clock)));
      this.crash(error);
      return;
    }
    const { frame, def } = this;
    const parent = frame.run;
    activeRuns.add(this);
    if ((def.logPrints ?? parent?.logPrints) === true) {
      this.printing = true;
      holdConsole();
    }
    frame.virtual?.runStarted(
      this.info.id,
      () => `${def.kind} run '${this.info.name}' (${this.state?.name ?? 'not started'})`,
    );
    this.emit(PENDING_STATE.at(this.info.startTime));
    if (this.finished) return; // a listener of Pending cancelled it
    if (this.sink.closed === true) {
      // A run$ subscriber that leaves at Pending (firstValueFrom) must not see the body start.
      this.cancel(this.unsubscribedError());
      return;
    }

    if (validationError !== undefined) {
      this.finish(
        makeState('FAILED', 'Failed', nowDate(frame.clock), {
          error: validationError,
          message: validationError.message,
        }),
      );
      return;
    }
    if (parent !== undefined) {
      if (parent.token.aborted) {
        this.cancel(parent.token.reason);
        return;
      }
      parent.token.attach(this);
    }
    if (this.submission !== undefined) this.submission.enter(this);
    else this.subscribeAttempts();
  }

  /** @internal Starts the attempts of a submitted run, once its upstreams and runner allow. */
  proceed(): void {
    if (this.finished) return;
    try {
      this.subscribeAttempts();
    } finally {
      unpinNow();
    }
  }

  /** @internal Ends a submitted run `NotReady` (PENDING) because an upstream run did not complete. */
  notReady(error: Error): void {
    this.finish(
      makeState('PENDING', 'NotReady', nowDate(this.frame.clock), { error, message: error.message }),
    );
  }

  /** @internal Replaces a submitted run's arguments with its upstreams' resolved values. */
  resolveArguments(args: readonly unknown[]): void {
    // Results upstream runs left in storage (cacheResultInMemory: false) are loaded before the attempts.
    if (holdsResultReference(args)) this.referencesInArgs = true;
    this.args.splice(0, this.args.length, ...args);
    this.info = Object.freeze({ ...this.info, parameters: bindParameters(this.def.params, this.args) });
    this.record.info = this.info;
  }

  private subscribeAttempts(): void {
    // A listener of the state just published (Pending, AwaitingConcurrencySlot) may have ended
    // the run (getClient().cancelRun): nothing may start after its last state.
    if (this.finished) return;
    if (this.runCache === undefined && (this.def.results !== undefined || this.referencesInArgs)) {
      // The cache step (lib/internal/engine/run-cache.ts): may end the run Cached, or keep it
      // Pending until an asynchronous lookup settles and calls proceed().
      this.runCache = enterRunCache(this, this.owner, this.args, this.referencesInArgs);
      if (this.finished || this.runCache?.waiting === true) return;
    }
    if (!this.tagsChecked && this.def.kind === 'task') {
      this.tagsChecked = true;
      const limiters = tagLimitersFor(this.info.tags);
      if (limiters !== undefined) {
        // Held until the run ends, retry waits included. The run owns the handle before anything
        // can call back (a grant, a listener cancelling it at AwaitingConcurrencySlot), so finish()
        // always finds it; after a wait, slotsGranted() runs subscribeAttempts again.
        const slots = new TagSlots(limiters, this);
        this.tagSlots = slots;
        if (!slots.acquire()) return;
      }
    }
    try {
      // fromAbortable(attempt).pipe(toStates(policy)), without the Observables: the loop is
      // toStates' body, and it calls the attempt factory directly.
      const loop = new StatesLoop<unknown>(
        (scope) => this.attempt(scope as CancelToken),
        this.statesSettings(),
        this,
      );
      this.loop = loop;
      loop.start();
    } catch (error) {
      this.crash(error);
    }
  }

  /**
   * The definition's policy, validated and prepared for `toStates` once per definition and
   * clock, not per run, unless a `retryConditionFn` needs this run's info.
   */
  private statesSettings(): StatesSettings {
    const { def, frame } = this;
    const clock = frame.clock;
    const cache = def.cache;
    if (cache.clock === clock && cache.states !== undefined) return cache.states;
    const condition = def.retryConditionFn as ConditionFn | undefined;
    const settings = prepareStates({
      scheduler: clock.scheduler,
      random: clock.random,
      timeoutSeconds: def.timeoutSeconds,
      retries: def.retries,
      retryDelaySeconds: def.retryDelaySeconds,
      retryJitterFactor: def.retryJitterFactor,
      shouldRetry: condition && ((failed) => condition(this.owner, this.info, failed)),
      what: `${def.kind === 'task' ? 'Task' : 'Flow'} '${def.name}'`,
    });
    if (condition === undefined) {
      cache.clock = clock;
      cache.states = settings;
    }
    return settings;
  }

  /** @internal A state from the attempts' loop. */
  next(state: State): void {
    // The loop calls this from promise callbacks: a throw here would be an unhandled rejection.
    try {
      this.onState(state);
    } catch (error) {
      this.crash(error);
    }
  }

  /** @internal The loop's end; the final state has already ended the run. */
  complete(): void {}

  /** @internal Its tag slots are taken: it waits in line, SCHEDULED. */
  slotsAwaited(): void {
    try {
      this.emit(makeState('SCHEDULED', 'AwaitingConcurrencySlot', nowDate(this.frame.clock)));
    } catch (error) {
      this.crash(error);
    }
  }

  /** @internal It holds its tag slots after waiting: the attempts start. */
  slotsGranted(): void {
    this.proceed();
  }

  /** @internal A tag limit can never serve it. */
  slotsFailed(error: unknown): void {
    this.crash(error);
  }

  private onState(state: State): void {
    if (state.name === 'Retrying') {
      const i = this.info;
      // A literal, not a spread: a spread of this shape is several times slower (retry path).
      this.info = {
        id: i.id,
        name: i.name,
        kind: i.kind,
        definitionName: i.definitionName,
        description: i.description,
        version: i.version,
        parentRunId: i.parentRunId,
        flowRunId: i.flowRunId,
        tags: i.tags,
        parameters: i.parameters,
        runCount: state.details?.runCount ?? i.runCount + 1,
        startTime: i.startTime,
        upstreamRunIds: i.upstreamRunIds,
      };
      this.record.info = this.info;
    }
    if (state.type === 'COMPLETED' && this.runCache) this.runCache.completed(state);
    else if (state.type === 'COMPLETED' || state.type === 'FAILED') this.finish(state);
    else this.emit(state);
  }

  /** @internal Ends the run with `state`, for the cache step: Cached, Completed once stored, or Failed. */
  endWith(state: State): void {
    this.finish(state);
  }

  /** @internal The parent run was cancelled, timed out or crashed. */
  parentAborted(reason: unknown): void {
    this.cancel(reason);
  }

  /** Stops the run: aborts the running attempt with `reason` and ends the run CANCELLED. */
  cancel(reason?: unknown): void {
    if (this.finished) return;
    const error = isCancelledError(reason)
      ? reason
      : new CancelledError(
          `${this.def.kind === 'task' ? 'Task' : 'Flow'} run '${this.info.name}' was cancelled`,
          { cause: reason },
        );
    this.loop?.stop(reason ?? error);
    this.finish(
      makeState('CANCELLED', 'Cancelled', nowDate(this.frame.clock), { error, message: error.message }),
    );
  }

  /** @internal The error of a run whose `run$` subscriber unsubscribed. */
  unsubscribedError(): CancelledError {
    return new CancelledError(
      `${this.def.kind === 'task' ? 'Task' : 'Flow'} run '${this.info.name}' was cancelled: its run$ subscriber unsubscribed`,
    );
  }

  /** Ends the run CRASHED: the engine, not the user's code, failed (or the process is stopping). */
  crash(error: unknown): void {
    if (this.finished) return;
    const crashError = isError(error)
      ? error
      : new CrashedError(`Run crashed: ${describeError(error)}`, { cause: error });
    this.loop?.stop(crashError);
    this.finish(
      makeState('CRASHED', 'Crashed', nowDate(this.frame.clock), {
        error: crashError,
        message: crashError.message,
      }),
    );
  }

  private identify(): ParameterValidationError | undefined {
    const { def, frame } = this;
    const parent = frame.run;
    let args = this.args;
    let parameters: Readonly<Record<string, unknown>>;
    let validationError: ParameterValidationError | undefined;
    if (def.parameterSchema !== undefined && !def.validateParameters) {
      parameters = freezeRecord(args.length === 0 ? {} : args[0]);
    } else if (def.parameterSchema !== undefined) {
      const input = args.length === 0 ? {} : args[0];
      const parsed = parseParameters(def.name, def.parameterSchema, input);
      if (parsed.success) {
        args = [parsed.data];
        parameters = freezeRecord(parsed.data);
      } else {
        validationError = parsed.error;
        parameters = freezeRecord(input);
      }
      this.args.splice(0, this.args.length, ...args);
    } else {
      parameters = bindParameters(def.params, args);
    }
    const clock = frame.clock;
    const submission = this.submission;
    const id = submission?.presetId ?? newRunId(clock);
    const tags = def.tags.length === 0 ? frame.tags : mergeTags(frame.tags, def.tags);
    const parentRunId = parent?.info.id;
    const flowRunId =
      parent === undefined ? undefined : parent.info.kind === 'flow' ? parent.info.id : parent.info.flowRunId;
    const now = pinNow(clock.scheduler);
    const startTime = submission?.presetStart ?? dateAt(clock.scheduler, now);
    // One RunInfo literal; the name is filled in last, so a run-name function sees the rest.
    const info: { -readonly [K in keyof RunInfo]: RunInfo[K] } = {
      id,
      name: '',
      kind: def.kind,
      definitionName: def.name,
      description: def.description,
      version: def.version,
      parentRunId,
      flowRunId,
      tags,
      parameters,
      runCount: 1,
      startTime,
      upstreamRunIds: submission?.upstreamRunIds,
    };
    const runName = def.runName;
    if (runName === undefined)
      info.name =
        submission?.presetName ?? (def.kind === 'task' ? taskRunName(def.name, id) : flowRunName(clock));
    else if (typeof runName === 'function') {
      const named = runName(parameters, info);
      if (typeof named !== 'string' || named === '') {
        throw new TypeError(
          `${def.kind} '${def.name}': the run name function returned ${describe(named)}, expected a non-empty string`,
        );
      }
      info.name = named;
    } else info.name = runName.render(parameters);
    this.info = info;
    this.record = new RunEntry(info, flowEntryOf(parent), this.rerun());
    return validationError;
  }

  private identifyFallback(): void {
    const { def, frame } = this;
    const id = this.submission?.presetId ?? newRunId(frame.clock);
    this.info = Object.freeze({
      id,
      name: taskRunName(def.name, id),
      kind: def.kind,
      definitionName: def.name,
      description: def.description,
      version: def.version,
      parentRunId: frame.run?.info.id,
      flowRunId: frame.run?.info.kind === 'flow' ? frame.run.info.id : frame.run?.info.flowRunId,
      tags: frame.tags,
      parameters: {},
      runCount: 1,
      startTime: nowDate(frame.clock),
      upstreamRunIds: this.submission?.upstreamRunIds,
    });
    this.record = new RunEntry(this.info, flowEntryOf(frame.run), this.rerun());
  }

  /** What `getClient().retryFlowRun` calls again: kept for flow runs only. */
  private rerun(): { owner: unknown; def: Definition; args: unknown[]; self: unknown } | undefined {
    return this.def.kind === 'flow'
      ? { owner: this.owner, def: this.def, args: this.args, self: this.self }
      : undefined;
  }

  /** One attempt: the body, called in a frame that makes this run current. */
  private attempt(token: CancelToken): unknown {
    unpinNow();
    const { def, frame, info } = this;
    const self = this.self !== undefined ? this.self : def.self;
    // Bound once per run (retries reuse it), and only for a body called as a method or bound.
    const fn = self === undefined ? def.fn : (this.boundFn ??= def.fn.bind(self));
    if (def.kind === 'task') {
      const scope: RunScope = {
        info,
        flowRun: frame.run?.flowRun,
        token,
        clock: frame.clock,
        record: this.record,
        logPrints: this.printing,
      };
      // Children inherit the enclosing tags() scopes, not this run's own tags (as in Prefect).
      const child: Frame = { run: scope, clock: frame.clock, tags: frame.tags, virtual: frame.virtual };
      // A runner with `execute` (a worker thread) runs the body; states stay here.
      const execute = this.submission?.execute;
      const body =
        execute === undefined
          ? fn
          : (...args: unknown[]) => execute({ fn: def.fn, args, signal: token.signal, run: info });
      // wrapBody: an installed instrumentation (rxflow/opentelemetry) runs the body in its context.
      return wrapBody === undefined
        ? applyInFrame(child, body, this.args)
        : applyInFrame(child, wrapBody, [info, body, this.args]);
    }
    const flowScope: FlowScope = {
      template: def.taskRunner,
      runner: undefined,
      outstanding: 0,
      idle: undefined,
    };
    const scope: RunScope = {
      info,
      flowRun: info,
      token,
      clock: frame.clock,
      flowScope,
      record: this.record,
      logPrints: this.printing,
    };
    const child: Frame = { run: scope, clock: frame.clock, tags: frame.tags, virtual: frame.virtual };
    // In the browser the frame is only current synchronously; the tracked frame lets runs
    // started after an await find their flow run (see docs/design.md, "Context").
    this.untrackFlowFrame?.();
    this.untrackFlowFrame = trackFlowFrame(child);
    let out: unknown;
    try {
      out =
        wrapBody === undefined
          ? applyInFrame(child, fn, this.args)
          : applyInFrame(child, wrapBody, [info, fn, this.args]);
    } catch (error) {
      if (flowScope.outstanding === 0) throw error;
      out = Promise.reject(error);
    }
    if (!isThenable(out) && flowScope.outstanding === 0) return unwrapResult(out);
    // A flow that returns, or throws, while runs it submitted are still going waits for them
    // (as Prefect); a timeout or cancellation meanwhile cancels them through the token.
    return Promise.resolve(out).then(
      (value) => afterSubmitted(flowScope, value),
      (error: unknown) => failAfterSubmitted(flowScope, error),
    );
  }

  private untrackFlowFrame: (() => void) | undefined = undefined;
  /** The body bound to its `this`, for a run called as a method (see {@link attempt}). */
  private boundFn: ((...args: never[]) => unknown) | undefined = undefined;

  private emit(state: State, final = false): void {
    this.state = state;
    const record = this.record;
    record.add(state);
    if (final) record.endedAt = state.timestamp.getTime();
    try {
      runStoreSlot.current.recordState(record, state, final);
    } catch (error) {
      report(`the run store failed to record a state of run '${this.info.name}'`, error);
    }
    // Listeners and hooks run on the run's behalf: their console output is not the run's (logPrints).
    outsideCapture(this.publish, this, state);
  }

  /** Hands a state to the run's sink, the state bus and the hooks of its type. */
  private publish(state: State): void {
    this.sink.next(state);
    if (stateBus.observed) {
      unpinNow(); // listeners are user code: the clock must be read afresh after them
      stateBus.next({ run: this.info, state });
    }
    const kind = HOOK_BY_TYPE[state.type];
    if (kind !== undefined) {
      const hooks = this.def.hooks[kind];
      if (hooks.length !== 0) {
        unpinNow();
        this.runHooks(kind, hooks, state);
      }
    }
  }

  private runHooks(kind: string, hooks: readonly ((...args: never[]) => unknown)[], state: State): void {
    const info = this.info;
    for (const hook of hooks) {
      const fail = (error: unknown) =>
        report(
          `${kind} hook '${functionName(hook)}' of ${this.def.kind} run '${info.name}' failed; the run's state is unchanged`,
          error,
        );
      let out: unknown;
      try {
        out = (hook as (o: unknown, r: RunInfo, s: State) => unknown)(this.owner, info, state);
      } catch (error) {
        fail(error);
        continue;
      }
      // adopt: a returned thenable whose then (or then getter) throws is a failed hook, not a hang.
      if (isThenable(out))
        (this.pendingHooks ??= []).push(
          new Promise<void>((done) =>
            adopt(
              out,
              () => done(),
              (error) => done(fail(error)),
            ),
          ),
        );
    }
  }

  /** Resolves once the run has ended and its hooks have settled. */
  whenDone(): Promise<void> {
    if (this.doneCallbacks === null) return Promise.resolve();
    return new Promise((resolve) => (this.doneCallbacks ??= []).push(resolve));
  }

  private doneCallbacks: (() => void)[] | undefined | null = undefined;

  private settle(state: State): void {
    this.sink.done(state);
    const callbacks = this.doneCallbacks;
    this.doneCallbacks = null;
    if (callbacks) for (const cb of callbacks) cb();
  }

  private tagSlots: TagSlots | undefined = undefined;
  private tagsChecked = false;
  /** The cache step: undefined until the attempts are about to start, null when there is none. */
  private runCache: RunCache | null | undefined = undefined;
  private referencesInArgs = false;

  private finish(state: State): void {
    if (this.finished) return;
    this.finished = true;
    // A queued run's driver lives long enough to reach old space; the objects its attempts made
    // are young. Dropping the link lets the next scavenge free them, where a dead old driver
    // pointing at them would keep them alive until a full GC (B1: 100k mapped runs).
    this.loop = undefined;
    this.parentToken?.detach(this);
    this.untrackFlowFrame?.();
    this.emit(state, true);
    // After the final state is out: the slot may start the next run at once (a synchronous body
    // ends inside this call), and no one may see two runs of a limit-1 tag running together.
    this.tagSlots?.release();
    this.runCache?.release();
    if (this.printing) releaseConsole();
    activeRuns.delete(this);
    this.frame.virtual?.runEnded(this.info.id);
    const pending = this.pendingHooks;
    if (pending === undefined) this.settle(state);
    else {
      this.pendingHooks = undefined;
      void Promise.all(pending).then(() => this.settle(state));
    }
  }
}

type ConditionFn = (owner: unknown, run: RunInfo, state: State) => unknown;

/** A hook's name for a report; a function whose `name` cannot be read (a Proxy) is 'anonymous'. */
/** The store entry of the nearest enclosing flow run: the parent's own, or its parent flow's. */
function flowEntryOf(parent: RunScope | undefined): RunEntry | undefined {
  if (parent === undefined) return undefined;
  return parent.info.kind === 'flow' ? parent.record : parent.record.flow;
}

function freezeRecord(value: unknown): Readonly<Record<string, unknown>> {
  if (value === null || typeof value !== 'object') return Object.freeze({ '0': value });
  try {
    if (!Array.isArray(value)) return Object.freeze({ ...(value as Record<string, unknown>) });
  } catch {
    // Arguments whose properties cannot be read (a getter that throws, a revoked Proxy): kept whole.
  }
  return Object.freeze({ '0': value });
}

function mergeTags(outer: readonly string[], own: readonly string[]): readonly string[] {
  if (outer.length === 0) return own;
  return Object.freeze([...new Set([...outer, ...own])]);
}

/** The body threw: the flow still waits for its submitted runs, then fails with the body's error. */
function failAfterSubmitted(scope: FlowScope, error: unknown): Promise<never> {
  if (scope.outstanding === 0) return Promise.reject(error);
  return new Promise<never>((_resolve, reject) => (scope.idle ??= []).push(() => reject(error)));
}

function afterSubmitted(scope: FlowScope, value: unknown): unknown {
  if (scope.outstanding === 0) return unwrapResult(value);
  return new Promise<void>((resolve) => (scope.idle ??= []).push(resolve)).then(() => unwrapResult(value));
}

/**
 * What a flow's body returned, as the flow's result (Prefect's `return_value_to_state`): a
 * returned future or state counts as its run's final state, and the flow resolves to its result.
 * A non-empty array or plain object made only of futures and states is settled by Prefect's
 * aggregate rule: the flow fails if any of them did not complete, else resolves to the
 * collection as returned (its futures have ended).
 */
function unwrapResult(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (isFutureLike(value)) return value.wait().then(unwrapFutureState);
  if (isStateLike(value)) return unwrapReturnedState(value);
  const items = collectionItems(value);
  return items === undefined ? value : settleCollection(value, items);
}

function unwrapFutureState(state: State): unknown {
  if (state.type === 'PENDING') throw state.error ?? new Error(state.message ?? 'The returned run never ran');
  return unwrapReturnedState(state);
}

function isFutureLike(value: unknown): value is { wait(): Promise<State> } {
  return value !== null && typeof value === 'object' && FUTURE_BRAND in value;
}

/** A flow body may return a State: a non-completed final one fails the flow with its error. */
function unwrapReturnedState(value: unknown): unknown {
  if (!isStateLike(value)) return value;
  if (value.type === 'COMPLETED') return resultOf(value.data);
  if (value.type === 'FAILED' || value.type === 'CRASHED' || value.type === 'CANCELLED') {
    throw value.error ?? new Error(value.message ?? `The flow returned a ${value.name} state`);
  }
  return value;
}

/**
 * The elements of a non-empty array or plain object whose every element is a future or a state;
 * undefined for anything else, which is returned as it is. As in Prefect, a collection mixing
 * them with other values is plain data. It stops at the first other value, and allocates
 * nothing until the collection qualifies: a flow returning a large array of data pays one check.
 */
function collectionItems(value: object): unknown[] | undefined {
  if (Array.isArray(value)) {
    const n = value.length;
    if (n === 0) return undefined;
    for (let i = 0; i < n; i++) {
      if (!(i in value)) return undefined; // sparse
      const item: unknown = value[i];
      if (!isFutureLike(item) && !isStateLike(item)) return undefined;
    }
    return value as unknown[];
  }
  if (!isPlainObject(value)) return undefined;
  const record = value as Record<string, unknown>;
  let any = false;
  for (const key in record) {
    const item = record[key];
    if (!isFutureLike(item) && !isStateLike(item)) return undefined;
    any = true;
  }
  return any ? Object.values(record) : undefined;
}

/** Waits for the collection's futures, then checks its states as {@link checkStates} does. */
function settleCollection(value: object, items: readonly unknown[]): unknown {
  let waiting = false;
  const states = items.map((item): State | Promise<State> => {
    if (!isFutureLike(item)) return item as State;
    waiting = true;
    return item.wait();
  });
  if (!waiting) {
    checkStates(value, states as State[]);
    return value;
  }
  return Promise.all(states).then((all) => {
    checkStates(value, all);
    return value;
  });
}

/**
 * Throws the error of the first state (in order) that failed, crashed, was cancelled or never
 * ran (`NotReady`), or, when none did but some are not final, an error counting them.
 */
function checkStates(value: object, states: readonly State[]): void {
  let notFinal = 0;
  for (const state of states) {
    const type = state.type;
    if (type === 'COMPLETED') continue;
    if (type === 'FAILED' || type === 'CRASHED' || type === 'CANCELLED' || state.name === 'NotReady')
      throw state.error ?? new Error(state.message ?? `The flow returned a ${state.name} state`);
    notFinal++;
  }
  if (notFinal === 0) return;
  const names = states.filter((s) => s.type !== 'COMPLETED').map((s) => s.name);
  throw new Error(
    `The flow returned ${Array.isArray(value) ? 'an array' : 'an object'} of ${states.length} states or ` +
      `futures, ${notFinal} of them not final (${names.join(', ')}); it completes only when all of them completed`,
  );
}

function isStateLike(value: unknown): value is State {
  return (
    value !== null &&
    typeof value === 'object' &&
    Object.isFrozen(value) &&
    typeof (value as State).type === 'string' &&
    typeof (value as State).name === 'string' &&
    (value as State).timestamp instanceof Date
  );
}

// See keep-shape.ts: an idle driver that never starts.
keepShape(new RunDriver({} as Definition, undefined, [], {} as Frame, { next() {}, done() {} }));
