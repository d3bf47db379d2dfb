/**
 * A resource an event is about, or one related to it: an `id` such as
 * `'rxflow.flow-run.<id>'` or `'acme.table.sales'`, and any other labels as strings. Related
 * resources say how they relate in `role` (`'flow-run'`, `'tag'`, …).
 * @example
 * ```ts
 * const table: EventResource = { id: 'acme.table.sales', name: 'sales', owner: 'data-team' };
 * const db: EventResource = { id: 'acme.db.main', role: 'database' };
 * ```
 */
export interface EventResource {
  readonly id: string;
  readonly name?: string;
  readonly role?: string;
  readonly [label: string]: string | undefined;
}

/**
 * An event, as `events$` emits it: from `emitEvent`, or from the engine for each state
 * transition of each run (`rxflow.task-run.Completed`, `rxflow.flow-run.Running`, …). Frozen.
 * @example
 * ```ts
 * events$.pipe(filter((e) => e.event === 'rxflow.flow-run.Failed')).subscribe((e) => page(e.resource.name));
 * ```
 */
export interface RxflowEvent {
  /** A unique id. */
  readonly id: string;
  /** When it happened, by the engine clock. */
  readonly occurred: Date;
  /** What happened, dotted: `'acme.table.refreshed'`. */
  readonly event: string;
  readonly resource: EventResource;
  /** Other resources involved; inside a run, the run (and its flow run) are added. */
  readonly related: readonly EventResource[];
  readonly payload: Readonly<Record<string, unknown>>;
}

/**
 * What {@link emitEvent} takes.
 * @example
 * ```ts
 * const input: EmitEventInput = { event: 'acme.deploy.done', resource: { id: 'acme.service.api' }, payload: { version: '1.2.0' } };
 * ```
 */
export interface EmitEventInput {
  event: string;
  resource: EventResource;
  payload?: Record<string, unknown>;
  related?: readonly EventResource[];
}
