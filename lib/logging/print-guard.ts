import { shared } from '../internal/shared.js';
/**
 * @internal State shared by `logPrints` and the code that must not be captured by it.
 * - `holders`: runs going that capture `console`; 0 means `console` is not wrapped (or passes
 *   every call through), and nobody needs the guard.
 * - `depth`: above 0 while code runs on rxflow's behalf (log sinks, `runLogs$` subscribers,
 *   state publication and hooks): `console` calls there are never captured, so a sink that prints
 *   cannot loop and a reporter's output is never taken for the run's.
 */
export const printGuard = shared('printGuard', () => ({ holders: 0, depth: 0 }));

/**
 * @internal Calls `fn` on `self` with `arg` (listeners called on rxflow's behalf) with `console`
 * capture suspended. A method and its receiver rather than a closure: the engine calls this for
 * every state of every run.
 */
export function outsideCapture<T, A>(fn: (this: T, arg: A) => void, self: T, arg: A): void {
  if (printGuard.holders === 0) return fn.call(self, arg);
  printGuard.depth++;
  try {
    fn.call(self, arg);
  } finally {
    printGuard.depth--;
  }
}
