import * as z from 'zod/mini';
import { StateTypeSchema, type State } from '../state/schema.js';
import { parseOptions } from './parse-options.js';
import type { RunFilter, RunQuery, StoredRun } from './run-store.js';

const date = z
  .date()
  .check(z.refine((d) => !Number.isNaN(d.getTime()), { message: 'expected a valid Date' }));

const RunFilterSchema = z.strictObject({
  name: z.optional(z.string()),
  flowName: z.optional(z.string()),
  stateType: z.optional(z.union([StateTypeSchema, z.array(StateTypeSchema)])),
  tags: z.optional(z.array(z.string())),
  parentRunId: z.optional(z.string()),
  flowRunId: z.optional(z.string()),
  startedAfter: z.optional(date),
  startedBefore: z.optional(date),
  limit: z.optional(z.number().check(z.int(), z.nonnegative())),
});

/** The latest state, without building the whole list where the run can say. */
function lastState(run: StoredRun): State | undefined {
  const last = (run as { last?: State }).last;
  return last ?? run.states.at(-1);
}

/** @internal Validates a filter given to the client; throws an `OptionValidationError` naming the field. */
export function parseRunFilter(owner: string, filter: unknown): RunFilter {
  return parseOptions(owner, RunFilterSchema, filter) as RunFilter;
}

/**
 * @internal Whether `run` matches `query`. `flowNameOf` gives the flow's name of a task run
 * (the store knows how to find its flow run).
 */
export function matchesQuery(
  run: StoredRun,
  query: RunQuery,
  flowNameOf: (run: StoredRun) => string | undefined,
): boolean {
  const info = run.info;
  if (query.kind !== undefined && info.kind !== query.kind) return false;
  if (query.name !== undefined && info.name !== query.name) return false;
  if (query.parentRunId !== undefined && info.parentRunId !== query.parentRunId) return false;
  if (query.flowRunId !== undefined && info.flowRunId !== query.flowRunId) return false;
  const started = info.startTime.getTime();
  if (query.startedAfter !== undefined && started < query.startedAfter.getTime()) return false;
  if (query.startedBefore !== undefined && started > query.startedBefore.getTime()) return false;
  if (query.tags !== undefined && !query.tags.every((tag) => info.tags.includes(tag))) return false;
  if (query.stateType !== undefined) {
    const type = lastState(run)?.type;
    const wanted = query.stateType;
    if (type === undefined || (typeof wanted === 'string' ? type !== wanted : !wanted.includes(type)))
      return false;
  }
  if (query.flowName !== undefined) {
    const flowName = info.kind === 'flow' ? info.definitionName : flowNameOf(run);
    if (flowName !== query.flowName) return false;
  }
  return true;
}
