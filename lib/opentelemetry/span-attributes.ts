/**
 * The attribute names rxflow puts on run spans and their events, for queries and tests. Span
 * attributes describe the run (set when its span starts) and its outcome (set when it ends);
 * event attributes describe one state transition.
 * @example
 * ```ts
 * const failed = exporter.getFinishedSpans().filter(
 *   (span) => span.attributes[SPAN_ATTRIBUTES.stateType] === 'FAILED',
 * );
 * ```
 */
export const SPAN_ATTRIBUTES = Object.freeze({
  /** The run's id (a UUID). */
  runId: 'rxflow.run.id',
  /** The run's name (`extract-2024-06-01`). */
  runName: 'rxflow.run.name',
  /** `'task'` or `'flow'`. */
  runKind: 'rxflow.run.kind',
  /** The task's own name, on task run spans. */
  taskName: 'rxflow.task.name',
  /** The flow's own name, on flow run spans. */
  flowName: 'rxflow.flow.name',
  /** The task's `version` option, on task run spans of a task that has one. */
  taskVersion: 'rxflow.task.version',
  /** The flow's `version` option, on flow run spans of a flow that has one. */
  flowVersion: 'rxflow.flow.version',
  /** The task's `description` option, on task run spans of a task that has one. */
  taskDescription: 'rxflow.task.description',
  /** The flow's `description` option, on flow run spans of a flow that has one. */
  flowDescription: 'rxflow.flow.description',
  /** The run that started this one (`RunInfo.parentRunId`), when there is one. */
  parentRunId: 'rxflow.run.parent_id',
  /** The nearest enclosing flow run (`RunInfo.flowRunId`), when there is one. */
  flowRunId: 'rxflow.flow_run.id',
  /** The run's tags, a string array. */
  tags: 'rxflow.run.tags',
  /** The runs a submitted run waited for (`RunInfo.upstreamRunIds`), when there are any. */
  upstreamRunIds: 'rxflow.run.upstream_ids',
  /** Prefix of one attribute per parameter, holding the value's type (`number`, `Array`), never the value. */
  parameterPrefix: 'rxflow.run.parameter.',
  /** The final state's type on the span (`COMPLETED`); the state's type on an event. */
  stateType: 'rxflow.state.type',
  /** The final state's name on the span (`TimedOut`); the state's name on an event. */
  stateName: 'rxflow.state.name',
  /** A state's message, on events of states that have one (`AwaitingRetry`, `Failed`, ...). */
  stateMessage: 'rxflow.state.message',
  /** When the next attempt starts, as an ISO string, on `AwaitingRetry` events. */
  scheduledTime: 'rxflow.state.scheduled_time',
  /** The attempt count: on the span, attempts made; on a `Retrying` event, the attempt it starts. */
  runCount: 'rxflow.run.run_count',
  /** Retries made (attempts − 1), on the span. */
  retries: 'rxflow.run.retries',
  /** True on the span of a run still going when the instrumentation was unsubscribed. */
  incomplete: 'rxflow.span.incomplete',
} as const);
