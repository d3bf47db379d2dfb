import { map, merge, share, type Observable } from 'rxjs';
import * as z from 'zod/mini';
import { safeParse } from '../internal/zod-issues.js';
import { currentFrame } from '../internal/context.js';
import { nowDate } from '../internal/clock.js';
import { stateBus, type RunStateEvent } from '../internal/engine/bus.js';
import type { RunInfo } from '../internal/run-scope.js';
import type { EmitEventInput, EventResource, RxflowEvent } from './event.js';
import { EventValidationError } from './event-validation-error.js';
import { newId } from './new-id.js';
import { Bus, HotStream } from '../internal/hot-stream.js';
import { outsideCapture } from '../logging/print-guard.js';
import { shared } from '../internal/shared.js';

const emitted = shared('emittedEvents', () => new Bus<RxflowEvent>('events$'));

const ResourceSchema = z.catchall(
  z.object({ id: z.string().check(z.minLength(1, 'expected a non-empty resource id')) }),
  z.string({ error: 'expected every label to be a string' }),
);

const InputSchema = z.strictObject({
  event: z.string().check(z.minLength(1, 'expected a non-empty event name')),
  resource: ResourceSchema,
  payload: z.optional(z.record(z.string(), z.unknown())),
  related: z.optional(
    z.array(
      z.extend(ResourceSchema, {
        role: z
          .string({ error: 'expected a role for a related resource' })
          .check(z.minLength(1, 'expected a role for a related resource')),
      }),
    ),
  ),
});

const runResourceId = (run: Pick<RunInfo, 'kind' | 'id'>) => `rxflow.${run.kind}-run.${run.id}`;

/** The run's task or flow, with its `version` and `description` labels when it has them. */
function definitionResource(run: RunInfo): EventResource {
  const resource: { -readonly [K in keyof EventResource]: EventResource[K] } = {
    id: `rxflow.${run.kind}.${run.definitionName}`,
    role: run.kind,
    name: run.definitionName,
  };
  if (run.version !== undefined) resource.version = run.version;
  if (run.description !== undefined) resource.description = run.description;
  return resource;
}

/** A state transition as an event: built only while `events$` has subscribers. */
function stateEvent({ run, state }: RunStateEvent): RxflowEvent {
  const related: EventResource[] = [];
  if (run.flowRunId !== undefined) related.push({ id: `rxflow.flow-run.${run.flowRunId}`, role: 'flow-run' });
  if (run.parentRunId !== undefined && run.parentRunId !== run.flowRunId)
    related.push({ id: `rxflow.task-run.${run.parentRunId}`, role: 'parent' });
  related.push(definitionResource(run));
  for (const tag of run.tags) related.push({ id: `rxflow.tag.${tag}`, role: 'tag' });
  return Object.freeze({
    id: newId(),
    occurred: state.timestamp,
    event: `rxflow.${run.kind}-run.${state.name}`,
    resource: { id: runResourceId(run), name: run.name, stateType: state.type, stateName: state.name },
    related: Object.freeze(related),
    payload: Object.freeze({ state, runCount: run.runCount }),
  });
}

/** The events of emitEvent and of state transitions, shared by every subscriber of events$. */
const allEvents = merge(emitted, stateBus.pipe(map(stateEvent))).pipe(share());

/**
 * Every event of this process, hot: those of {@link emitEvent}, and one per state transition
 * of every run, named `rxflow.task-run.<StateName>` or `rxflow.flow-run.<StateName>`
 * (`rxflow.task-run.Completed`, `rxflow.flow-run.AwaitingRetry`), whose resource is the run
 * (`id: 'rxflow.task-run.<run id>'`, `name`, `stateType`, `stateName`), related to its flow run,
 * its parent task run, its task or flow (role `'task'` or `'flow'`, with `version` and
 * `description` labels when it has them) and its tags, with the state in `payload.state`.
 * Transition events are built only while someone subscribes. A subscriber that throws is
 * reported (`setErrorReporter`), never rethrown.
 * @example
 * ```ts
 * // An automation: page someone when a flow run fails.
 * events$.pipe(filter((e) => e.event === 'rxflow.flow-run.Failed')).subscribe((e) => page(e.resource.name));
 * ```
 */
export const events$: Observable<RxflowEvent> = new HotStream<RxflowEvent>('events$', (subscriber) =>
  allEvents.subscribe(subscriber),
);

/**
 * Emits an event on {@link events$} and returns it. Inside a run, the run (and its flow run) are
 * added to `related` unless already there. The event is checked first: a bad one throws an
 * `EventValidationError` listing every problem.
 * @example
 * ```ts
 * emitEvent({
 *   event: 'acme.table.refreshed',
 *   resource: { id: 'acme.table.sales', name: 'sales' },
 *   payload: { rows: 1204 },
 * });
 * ```
 */
export function emitEvent(input: EmitEventInput): RxflowEvent {
  const parsed = safeParse(InputSchema, input);
  if (!parsed.success) throw new EventValidationError(parsed.error.issues);
  const { event, resource, payload, related = [] } = parsed.data;
  const frame = currentFrame();
  const all: EventResource[] = related.map((r) => Object.freeze({ ...r }));
  const run = frame.run;
  if (run !== undefined) {
    const add = (r: EventResource) => {
      if (!all.some((x) => x.id === r.id)) all.push(r);
    };
    add({ id: runResourceId(run.info), role: `${run.info.kind}-run`, name: run.info.name });
    const flowRun = run.flowRun;
    if (flowRun !== undefined && flowRun !== run.info)
      add({ id: runResourceId(flowRun), role: 'flow-run', name: flowRun.name });
  }
  const out: RxflowEvent = Object.freeze({
    id: newId(),
    occurred: nowDate(frame.clock),
    event,
    resource: Object.freeze({ ...resource }),
    related: Object.freeze(all),
    payload: Object.freeze({ ...(payload ?? {}) }),
  });
  outsideCapture(emitted.next, emitted, out);
  return out;
}
