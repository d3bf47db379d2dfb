import { Subject, type Observable } from 'rxjs';
import type { ArtifactRecord } from './artifact-record.js';
import { shared } from '../internal/shared.js';

/** @internal Where artifacts are published. */
export const artifactBus = shared('artifactBus', () => new Subject<ArtifactRecord>());

/**
 * Every artifact created in this process, and every progress update (a record with the same
 * `id` and new `data`), as it happens: a hot Observable.
 * @example
 * ```ts
 * artifacts$.subscribe((a) => console.log(`${a.type} artifact ${a.key ?? a.id} of run ${a.taskRunId ?? a.flowRunId}`));
 * ```
 */
export const artifacts$: Observable<ArtifactRecord> = artifactBus.asObservable();
