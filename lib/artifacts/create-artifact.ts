import * as z from 'zod/mini';
import { issueText, safeParse } from '../internal/zod-issues.js';
import { runStoreSlot } from '../client/run-store-slot.js';
import { nowDate } from '../internal/clock.js';
import { currentFrame } from '../internal/context.js';
import { describeValue as describe } from '../internal/describe-kind.js';
import { report } from '../internal/report.js';
import type { RunEntry } from '../client/run-entry.js';
import { newId } from '../events/new-id.js';
import { outsideCapture } from '../logging/print-guard.js';
import { artifactBus } from './artifact-bus.js';
import type { ArtifactRecord, ArtifactType } from './artifact-record.js';
import { ArtifactValidationError } from './artifact-validation-error.js';
import { shared } from '../internal/shared.js';

/** @internal Options every artifact takes. */
export const ArtifactOptionsShape = {
  key: z.optional(
    z.string({ error: 'expected a string' }).check(
      z.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, {
        error: 'must be lowercase letters, digits and single dashes, such as "daily-report"',
      }),
    ),
  ),
  description: z.optional(z.string({ error: 'expected a string' })),
};

/** @internal Parses `value` with `schema`, or throws an `ArtifactValidationError` listing every problem of `fn`'s call. */
export function check<S extends z.core.$ZodType>(fn: string, schema: S, value: unknown): z.output<S> {
  const parsed = safeParse(schema, value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return issueText(issue);
    let got: unknown = value;
    for (const p of issue.path) got = (got as Record<PropertyKey, unknown> | undefined)?.[p as PropertyKey];
    return `${issueText(issue)} (got ${describe(got)})`;
  });
  throw new ArtifactValidationError(fn, problems);
}

interface ProgressEntry {
  record: ArtifactRecord;
  readonly run: RunEntry | undefined;
}

/** Progress artifacts that can still be updated, oldest first; bounded so it stays flat. */
const progress = shared('progressArtifacts', () => new Map<string, ProgressEntry>());
const MAX_PROGRESS = 1_000;

/**
 * @internal Creates an artifact linked to the current run (if any): records it in the run store,
 * publishes it on `artifacts$`, and returns its id.
 */
export function createArtifact(
  type: ArtifactType,
  data: unknown,
  options: { key?: string | undefined; description?: string | undefined },
): string {
  const frame = currentFrame();
  const run = frame.run;
  const record: Record<string, unknown> = { id: newId(), type, data };
  if (options.key !== undefined) record.key = options.key;
  if (options.description !== undefined) record.description = options.description;
  if (run !== undefined) {
    const info = run.info;
    const flowRunId = info.kind === 'flow' ? info.id : info.flowRunId;
    if (flowRunId !== undefined) record.flowRunId = flowRunId;
    if (info.kind === 'task') record.taskRunId = info.id;
  }
  record.createdAt = nowDate(frame.clock);
  const artifact = Object.freeze(record) as unknown as ArtifactRecord;
  if (type === 'progress') {
    if (progress.size >= MAX_PROGRESS) progress.delete(progress.keys().next().value!);
    progress.set(artifact.id, { record: artifact, run: run?.record });
  }
  publish(artifact, run?.record);
  return artifact.id;
}

/** @internal Replaces a progress artifact's value; throws if `id` is not a progress artifact kept here. */
export function updateProgress(id: string, value: number): ArtifactRecord | undefined {
  const entry = progress.get(id);
  if (entry === undefined) return undefined;
  const updated = Object.freeze({ ...entry.record, data: value }) as ArtifactRecord;
  entry.record = updated;
  publish(updated, entry.run);
  return updated;
}

function publish(artifact: ArtifactRecord, run: RunEntry | undefined): void {
  if (run !== undefined) {
    try {
      runStoreSlot.current.recordArtifact(run, artifact);
    } catch (error) {
      report(`the run store failed to record artifact ${artifact.id}`, error);
    }
  }
  outsideCapture(artifactBus.next, artifactBus, artifact);
}
