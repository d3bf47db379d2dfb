/** The kinds of artifact. */
export type ArtifactType = 'markdown' | 'table' | 'link' | 'progress';

/** A table: a list of rows (objects or arrays), or an object of equal-length columns. */
export type TableData =
  | readonly Readonly<Record<string, unknown>>[]
  | readonly (readonly unknown[])[]
  | Readonly<Record<string, readonly unknown[]>>;

/** A link artifact's data. */
export interface LinkData {
  readonly link: string;
  /** The text to show instead of the address. */
  readonly linkText?: string;
}

interface ArtifactBase {
  /** A unique id, returned by the `create…Artifact` call. */
  readonly id: string;
  /** Groups the versions of one artifact across runs: lowercase letters, digits and dashes. */
  readonly key?: string;
  readonly description?: string;
  /** The flow run it belongs to: the creating flow run, or the creating task run's flow run. */
  readonly flowRunId?: string;
  /** The task run that created it. */
  readonly taskRunId?: string;
  /** When it was created, by the run's clock. An update keeps it. */
  readonly createdAt: Date;
}

/**
 * An artifact, as `artifacts$` and `getClient().readArtifacts(runId)` give it: frozen data, one
 * variant per `type`. A progress update is a new record with the same `id` and new `data`.
 * @example
 * ```ts
 * artifacts$.subscribe((a) => {
 *   if (a.type === 'progress') console.log(`${a.key ?? a.id}: ${a.data} %`);
 * });
 * ```
 */
export type ArtifactRecord =
  | (ArtifactBase & { readonly type: 'markdown'; readonly data: string })
  | (ArtifactBase & { readonly type: 'table'; readonly data: TableData })
  | (ArtifactBase & { readonly type: 'link'; readonly data: LinkData })
  | (ArtifactBase & { readonly type: 'progress'; readonly data: number });

/** Options every `create…Artifact` call takes. */
export interface ArtifactOptions {
  /** Lowercase letters, digits and dashes, e.g. `'daily-report'`. */
  key?: string;
  /** A description, shown with the artifact. */
  description?: string;
}
