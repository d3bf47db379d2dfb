import type { Observable } from 'rxjs';
import { Bus } from '../internal/hot-stream.js';
import type { ArtifactRecord } from './artifact-record.js';
import { shared } from '../internal/shared.js';

/** @internal Where artifacts are published. */
export const artifactBus = shared('artifactBus', () => new Bus<ArtifactRecord>('artifacts$'));

/**
 * Every artifact created in this process, and every progress update (a record with the same
 * `id` and new `data`), as it happens: a hot Observable. A subscriber that throws is reported
 * (`setErrorReporter`), never rethrown.
 * @example
 * ```ts
 * artifacts$.subscribe((a) => console.log(`${a.type} artifact ${a.key ?? a.id} of run ${a.taskRunId ?? a.flowRunId}`));
 * ```
 */
export const artifacts$: Observable<ArtifactRecord> = artifactBus.stream;
