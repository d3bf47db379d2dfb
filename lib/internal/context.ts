import type { Clock } from './clock.js';
import { getDefaultClock } from './clock.js';
import type { RunScope } from './run-scope.js';
import { shared } from './shared.js';

/**
 * What is "current" at a point of execution: the run (if any), the clock, and the tags of
 * enclosing `tags()` scopes. Frames are immutable; entering a scope makes a new one.
 */
export interface Frame {
  readonly run: RunScope | undefined;
  readonly clock: Clock;
  readonly tags: readonly string[];
  /** Set by `withVirtualTime`: tracks runs for its deadlock report. */
  readonly virtual: VirtualScopeHooks | undefined;
}

/** @internal Callbacks a virtual-time scope receives about runs started inside it. */
export interface VirtualScopeHooks {
  runStarted(id: string, describe: () => string): void;
  runEnded(id: string): void;
}

/** @internal How frames are carried across calls: AsyncLocalStorage on Node, a stack elsewhere. */
export interface ContextStore {
  readonly propagatesAcrossAwait: boolean;
  get(): Frame | undefined;
  run<A extends unknown[], R>(frame: Frame, fn: (...args: A) => R, ...args: A): R;
  apply(frame: Frame, fn: (...args: never[]) => unknown, args: readonly unknown[]): unknown;
}

/**
 * Browser (and default) store: the frame is current while a function runs synchronously.
 * Calls made after the function's first `await` fall back to {@link fallbackFrame}.
 */
const stackStore: ContextStore = (() => {
  let current: Frame | undefined;
  return {
    propagatesAcrossAwait: false,
    get: () => current,
    run<A extends unknown[], R>(frame: Frame, fn: (...args: A) => R, ...args: A): R {
      return this.apply(frame, fn as (...args: never[]) => unknown, args) as R;
    },
    apply(frame: Frame, fn: (...args: never[]) => unknown, args: readonly unknown[]): unknown {
      const previous = current;
      current = frame;
      try {
        return (fn as (...a: unknown[]) => unknown)(...args);
      } finally {
        current = previous;
      }
    },
  };
})();

// Shared by every copy of rxflow in the process (see shared.ts): a task of one copy called in a
// flow of the other is that flow's child.
const context = shared(
  'contextStore',
  (): { store: ContextStore; fallback: (() => Frame | undefined) | undefined } => ({
    store: stackStore,
    fallback: undefined,
  }),
);

/** @internal Installed by the Node entry points; returns the store it replaces. */
export function installContextStore(next: ContextStore): ContextStore {
  const previous = context.store;
  context.store = next;
  return previous;
}

/** @internal Where the store cannot see across awaits, the engine offers a best guess. */
export function setFallbackFrame(fn: () => Frame | undefined): void {
  context.fallback = fn;
}

/** @internal Whether frames follow `await` (true on Node). */
export function contextPropagatesAcrossAwait(): boolean {
  return context.store.propagatesAcrossAwait;
}

const ROOT_TAGS: readonly string[] = Object.freeze([]);
let root: Frame = { run: undefined, clock: getDefaultClock(), tags: ROOT_TAGS, virtual: undefined };

/**
 * @internal The current frame, or the root frame on the default clock. Without a store that
 * follows awaits, `guess` allows the fallback frame (task runs use it; flow runs do not, so
 * flows started side by side from plain code stay separate root runs).
 */
export function currentFrame(guess = true): Frame {
  const store = context.store;
  const frame = store.get();
  if (frame !== undefined) return frame;
  const fallbackFrame = !guess || store.propagatesAcrossAwait ? undefined : context.fallback?.();
  if (fallbackFrame !== undefined) return fallbackFrame;
  const clock = getDefaultClock();
  if (root.clock !== clock) root = { run: undefined, clock, tags: ROOT_TAGS, virtual: undefined };
  return root;
}

/** @internal Calls `fn` with `args` (an array: no rest/spread copies on the hot path) with `frame` current. */
export function applyInFrame(
  frame: Frame,
  fn: (...args: never[]) => unknown,
  args: readonly unknown[],
): unknown {
  return context.store.apply(frame, fn, args);
}

/** @internal Runs `fn` with `frame` current. */
export function runInFrame<A extends unknown[], R>(frame: Frame, fn: (...args: A) => R, ...args: A): R {
  return context.store.run(frame, fn, ...args);
}
