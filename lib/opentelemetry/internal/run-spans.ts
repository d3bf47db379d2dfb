import { describeError, isError } from '../../internal/describe-kind.js';
import {
  context,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Exception,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import type { RunStateEvent } from '../../internal/engine/bus.js';
import type { BodyWrapper } from '../../internal/engine/body-wrapper.js';
import { report } from '../../internal/report.js';
import type { RunInfo } from '../../internal/run-scope.js';
import type { State } from '../../state/schema.js';
import { SPAN_ATTRIBUTES as A } from '../span-attributes.js';

/** @internal What {@link RunSpans} needs besides the tracer, resolved from the options. */
export interface RunSpansSettings {
  readonly spanName: (run: RunInfo) => string;
  readonly attributes: ((run: RunInfo) => Attributes) | undefined;
  readonly parameterTypes: boolean;
}

/** The open span of one run and the last state seen of it (its end time, if cut short). */
interface OpenSpan {
  readonly span: Span;
  last: State;
}

/**
 * @internal The spans of the runs in flight: one per run, opened at the run's first state and
 * ended (and forgotten) at its last, so the map holds only runs that have not ended.
 */
export class RunSpans {
  private readonly open = new Map<string, OpenSpan>();

  constructor(
    private readonly tracer: Tracer,
    private readonly settings: RunSpansSettings,
  ) {}

  /** How many runs have a span open. */
  get size(): number {
    return this.open.size;
  }

  /** Records one transition. A tracer that throws is reported; it never reaches the engine. */
  observe(event: RunStateEvent): void {
    try {
      this.record(event.run, event.state);
    } catch (error) {
      report(
        `rxflow/opentelemetry: recording state '${event.state.name}' of run '${event.run.name}' failed`,
        error,
      );
    }
  }

  /** Runs a body with its run's span as the active context: user spans inside nest under it. */
  readonly wrapBody: BodyWrapper = (run, fn, args) => {
    const open = this.open.get(run.id);
    const body = fn as (...a: unknown[]) => unknown;
    if (open === undefined) return body(...args);
    return context.with(trace.setSpan(context.active(), open.span), body, undefined, ...args);
  };

  /** Ends every open span at its run's last state (marked incomplete) and forgets them all. */
  close(): void {
    for (const { span, last } of this.open.values()) {
      span.setAttribute(A.incomplete, true);
      span.setAttribute(A.stateType, last.type);
      span.setAttribute(A.stateName, last.name);
      span.end(last.timestamp);
    }
    this.open.clear();
  }

  private record(run: RunInfo, state: State): void {
    let open = this.open.get(run.id);
    if (open === undefined) {
      open = { span: this.start(run), last: state };
      this.open.set(run.id, open);
    }
    // NotReady (PENDING) is final too: a submitted run whose upstream did not complete.
    const t = state.type;
    const final =
      t === 'COMPLETED' ||
      t === 'FAILED' ||
      t === 'CANCELLED' ||
      t === 'CRASHED' ||
      state.name === 'NotReady';
    // Forgotten first: whatever the tracer does next, an ended run never stays in the map.
    if (final) this.open.delete(run.id);
    else open.last = state;
    const { span } = open;
    span.addEvent(state.name, eventAttributes(state), state.timestamp);
    if (final) end(span, run, state);
  }

  private start(run: RunInfo): Span {
    const { settings } = this;
    const parent = run.parentRunId === undefined ? undefined : this.open.get(run.parentRunId);
    // A root run nests under whatever span is active where it was called (an HTTP request...).
    const parentContext: Context =
      parent === undefined ? context.active() : trace.setSpan(context.active(), parent.span);
    const attributes: Attributes = {
      [A.runId]: run.id,
      [A.runName]: run.name,
      [A.runKind]: run.kind,
      [run.kind === 'task' ? A.taskName : A.flowName]: run.definitionName,
      [A.tags]: [...run.tags],
    };
    const task = run.kind === 'task';
    if (run.version !== undefined) attributes[task ? A.taskVersion : A.flowVersion] = run.version;
    if (run.description !== undefined)
      attributes[task ? A.taskDescription : A.flowDescription] = run.description;
    if (run.parentRunId !== undefined) attributes[A.parentRunId] = run.parentRunId;
    if (run.flowRunId !== undefined) attributes[A.flowRunId] = run.flowRunId;
    if (run.upstreamRunIds !== undefined && run.upstreamRunIds.length !== 0)
      attributes[A.upstreamRunIds] = [...run.upstreamRunIds];
    if (settings.parameterTypes)
      for (const [name, value] of Object.entries(run.parameters))
        attributes[A.parameterPrefix + name] = typeName(value);
    if (settings.attributes !== undefined)
      Object.assign(attributes, userCall('attributes', run, settings.attributes));
    const named = userCall('spanName', run, settings.spanName);
    const name = typeof named === 'string' && named !== '' ? named : run.name;
    return this.tracer.startSpan(name, { attributes, startTime: run.startTime }, parentContext);
  }
}

/** Calls an option's function; one that throws is reported, and the span goes on without it. */
function userCall<R>(option: string, run: RunInfo, fn: (run: RunInfo) => R): R | undefined {
  try {
    return fn(run);
  } catch (error) {
    report(`rxflow/opentelemetry: the ${option} option threw for run '${run.name}'; ignored`, error);
    return undefined;
  }
}

function end(span: Span, run: RunInfo, state: State): void {
  span.setAttributes({
    [A.stateType]: state.type,
    [A.stateName]: state.name,
    [A.runCount]: run.runCount,
    [A.retries]: run.runCount - 1,
  });
  if (state.type === 'FAILED' || state.type === 'CRASHED') {
    span.recordException(asException(state.error, state.message), state.timestamp);
    span.setStatus({ code: SpanStatusCode.ERROR, message: state.message ?? state.name });
  }
  span.end(state.timestamp);
}

function eventAttributes(state: State): Attributes {
  const attributes: Attributes = { [A.stateType]: state.type };
  if (state.message !== undefined) attributes[A.stateMessage] = state.message;
  const details = state.details;
  if (details?.runCount !== undefined) attributes[A.runCount] = details.runCount;
  if (details?.scheduledTime !== undefined) attributes[A.scheduledTime] = details.scheduledTime.toISOString();
  return attributes;
}

function asException(error: unknown, message: string | undefined): Exception {
  // Without `code`: the SDK would report an RxflowError's code ('TIMEOUT') as its type.
  if (isError(error)) {
    try {
      return { name: error.name, message: error.message, stack: error.stack };
    } catch {
      // Getters that throw: described below instead.
    }
  }
  if (error === undefined) return message ?? 'unknown error';
  return describeError(error);
}

/** A parameter's type, never its value: values may hold secrets (as Prefect records them). */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  if (Array.isArray(value)) return 'Array';
  const ctor = (value as { constructor?: { name?: unknown } }).constructor;
  return typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : 'Object';
}
