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

/**
 * @internal A child that a token aborts with itself: a run started inside another run. The
 * links make the token's children an intrusive list, so attaching and detaching one of a
 * flow's hundred thousand mapped runs costs two field writes, not a closure and a `Set` entry.
 */
export interface AbortChild {
  prevChild: AbortChild | undefined;
  nextChild: AbortChild | undefined;
  /** The token this child is attached to, if any. */
  parentToken: CancelToken | undefined;
  /** Called once when the token aborts (the child is detached first). */
  parentAborted(reason: unknown): void;
}

/** @internal A lazily materialised abort signal with cheap internal listeners. */
export class CancelToken implements AbortScope {
  aborted = false;
  reason: unknown = undefined;
  private controller: AbortController | undefined = undefined;
  private listeners: Set<(reason: unknown) => void> | undefined = undefined;
  /** The oldest attached child, and the newest. */
  private firstChild: AbortChild | undefined = undefined;
  private lastChild: AbortChild | undefined = undefined;

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

  /** Aborts `child` with this token; at once if the token has already aborted. */
  attach(child: AbortChild): void {
    if (this.aborted) return child.parentAborted(this.reason);
    child.parentToken = this;
    child.nextChild = undefined;
    child.prevChild = this.lastChild;
    if (this.lastChild !== undefined) this.lastChild.nextChild = child;
    else this.firstChild = child;
    this.lastChild = child;
  }

  /** Takes `child` out of this token's children (it ended by itself). */
  detach(child: AbortChild): void {
    if (child.parentToken !== this) return;
    const { prevChild: prev, nextChild: next } = child;
    if (prev !== undefined) prev.nextChild = next;
    else this.firstChild = next;
    if (next !== undefined) next.prevChild = prev;
    else this.lastChild = prev;
    child.prevChild = child.nextChild = child.parentToken = undefined;
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners !== undefined) for (const listener of listeners) listener(reason);
    // Oldest first, always from the head: a child that ends others as it stops (one waiting
    // on it as an upstream) detaches them, and the walk never holds a stale link.
    for (let child = this.firstChild; child !== undefined; child = this.firstChild) {
      this.detach(child);
      child.parentAborted(reason);
    }
  }
}

function noop(): void {}

keepShape(new CancelToken()); // see keep-shape.ts
