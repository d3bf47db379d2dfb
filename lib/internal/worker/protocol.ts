/**
 * @internal What crosses the thread boundary between `WorkerThreadTaskRunner` and its worker
 * entry: plain, structured-cloneable data only.
 */

/** Where the worker finds the task's function. */
export type WorkerTarget =
  /** A module export registered with `workerTask(fn, moduleUrl)`: the worker imports it. */
  | { readonly kind: 'module'; readonly url: string; readonly exportName: string }
  /** A self-contained function sent by its source text, compiled once per worker. */
  | { readonly kind: 'source'; readonly source: string };

/** One attempt's body call. */
export type WorkerCall = WorkerTarget & {
  /** The task's name, for messages. */
  readonly taskName: string;
  readonly args: readonly unknown[];
};

/** An error, taken apart: its class is found again by `name` on the other side. */
export interface EncodedError {
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  /** Own enumerable properties that can be cloned (`code`, `timeoutSeconds`, …). */
  readonly props: Readonly<Record<string, unknown>>;
  readonly cause: EncodedThrown | undefined;
}

/** What a body threw: an error, or any other (cloneable) value. */
export type EncodedThrown =
  | { readonly kind: 'error'; readonly error: EncodedError }
  | { readonly kind: 'value'; readonly value: unknown };

/** The worker's answer; the entry never rejects, so a rejection is the pool's own failure. */
export type WorkerReply =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly thrown: EncodedThrown };

/** `name` and `code` of `WorkerTransferError`, which the worker builds without importing it. */
export const TRANSFER_ERROR_NAME = 'WorkerTransferError';
export const TRANSFER_ERROR_CODE = 'WORKER_TRANSFER';
