import { OptionValidationError } from '../errors/option-validation-error.js';
import { MemoryRunStore } from './memory-run-store.js';
import type { RunStore } from './run-store.js';
import { shared } from '../internal/shared.js';

/** @internal Where the engine records runs: read on every state, so one property of one object. */
export const runStoreSlot: { current: RunStore } = shared('runStoreSlot', () => ({
  current: new MemoryRunStore(),
}));

const METHODS = ['recordState', 'recordLog', 'recordArtifact', 'readRun', 'readRuns'] as const;

/**
 * Replaces the run store, where every run of this process is recorded from its next state on
 * (runs already going keep being recorded in the new store only from then). Returns a function
 * that restores the previous store.
 * @default a `new MemoryRunStore()` (1,000 flow runs and 250 task runs that have ended, for a day)
 * @example
 * ```ts
 * const restore = setRunStore(new MemoryRunStore({ maxRuns: 500 }));
 * try {
 *   await etl();
 * } finally {
 *   restore();
 * }
 * ```
 */
export function setRunStore(store: RunStore): () => void {
  const missing = METHODS.find(
    (m) => typeof (store as unknown as Record<string, unknown> | null)?.[m] !== 'function',
  );
  if (missing !== undefined) {
    throw new OptionValidationError(
      'setRunStore',
      'store',
      `expected a RunStore, but it has no ${missing}() method`,
    );
  }
  const previous = runStoreSlot.current;
  runStoreSlot.current = store;
  return () => {
    runStoreSlot.current = previous;
  };
}

/**
 * The run store in use.
 * @example
 * ```ts
 * const store = getRunStore();
 * ```
 */
export function getRunStore(): RunStore {
  return runStoreSlot.current;
}
