import { keepShape } from './keep-shape.js';
/**
 * The abort side of one run attempt, with the `AbortSignal` created only when someone reads it:
 * an `AbortController` costs microseconds, and most runs never look at their signal.
 */
export interface AbortScope {
  /** Fires when the attempt is cancelled or times out. Created on first read. */
  readonly signal: AbortSignal;
  /** Whether the attempt has been aborted, without creating the signal. */
  readonly aborted: boolean;
}

/** @internal A lazily materialised abort signal with cheap internal listeners. */
export class CancelToken implements AbortScope {
  aborted = false;
  reason: unknown = undefined;
  private controller: AbortController | undefined = undefined;
  private listeners: Set<(reason: unknown) => void> | undefined = undefined;

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** Calls `listener` once when aborted (at once if already aborted); returns a remover. */
  onAbort(listener: (reason: unknown) => void): () => void {
    if (this.aborted) {
      listener(this.reason);
      return noop;
    }
    (this.listeners ??= new Set()).add(listener);
    return () => this.listeners?.delete(listener);
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners !== undefined) for (const listener of listeners) listener(reason);
  }
}

function noop(): void {}

keepShape(new CancelToken()); // see keep-shape.ts
