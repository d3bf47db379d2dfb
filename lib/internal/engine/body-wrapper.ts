import type { RunInfo } from '../run-scope.js';
import { shared } from '../shared.js';

/**
 * @internal Calls a run's body, `fn(...args)`, and returns what it returns; a wrapper may run it
 * inside a context of its own (an OpenTelemetry span, for instance). It is called inside the
 * run's frame, once per attempt, with the attempt's `RunInfo`.
 */
export type BodyWrapper = (
  run: RunInfo,
  fn: (...args: never[]) => unknown,
  args: readonly unknown[],
) => unknown;

// The wrappers installed through any copy of rxflow in the process (see shared.ts), and a setter
// of each copy's `wrapBody`, so instrumentation installed through one copy wraps the runs of all.
const wrappers = shared(
  'bodyWrappers',
  (): { installed: BodyWrapper[]; copies: ((next: BodyWrapper | undefined) => void)[] } => ({
    installed: [],
    copies: [],
  }),
);
const installed = wrappers.installed;

/**
 * @internal The installed wrappers composed into one, or `undefined` when none is installed:
 * the engine's only cost while no wrapper is installed is reading this binding.
 */
export let wrapBody: BodyWrapper | undefined = installed.length === 0 ? undefined : compose(installed);

wrappers.copies.push((next) => {
  wrapBody = next;
});

function publish(): void {
  const next = installed.length === 0 ? undefined : compose(installed);
  for (const set of wrappers.copies) set(next);
}

/**
 * @internal Installs `wrapper` around every run body started from now on (also around later
 * attempts of runs already going). Returns its uninstaller, which is idempotent. Wrappers
 * installed later run outside those installed earlier.
 */
export function installBodyWrapper(wrapper: BodyWrapper): () => void {
  installed.push(wrapper);
  publish();
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    installed.splice(installed.indexOf(wrapper), 1);
    publish();
  };
}

function compose(wrappers: readonly BodyWrapper[]): BodyWrapper {
  return wrappers.reduce(
    (inner, outer) => (run, fn, args) => outer(run, (...a: unknown[]) => inner(run, fn, a), args),
  );
}
