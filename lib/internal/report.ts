import { printGuard } from '../logging/print-guard.js';
import { shared } from './shared.js';

/** @internal Where the engine reports problems that must not change a run's outcome (a failing hook). */
export type Reporter = (message: string, error: unknown) => void;

const slot = shared('errorReporter', (): { current: Reporter } => ({
  current: (message, error) => {
    console.error(`[rxflow] ${message}`, error);
  },
}));

/** @internal */
export function report(message: string, error: unknown): void {
  // What the reporter prints is rxflow's, not a logPrints run's, whatever context it runs in.
  printGuard.depth++;
  try {
    slot.current(message, error);
  } catch {
    // A broken reporter must not break the engine either.
  } finally {
    printGuard.depth--;
  }
}

/**
 * Replaces how rxflow reports problems that never change a run's state, such as a hook that
 * threw. Returns a function restoring the previous reporter.
 * @default writes to `console.error`
 * @example
 * ```ts
 * setErrorReporter((message, error) => logger.warn({ err: error }, message));
 * ```
 */
export function setErrorReporter(next: Reporter): () => void {
  const previous = slot.current;
  slot.current = next;
  return () => {
    slot.current = previous;
  };
}
