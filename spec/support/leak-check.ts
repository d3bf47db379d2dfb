// The watch list no-leaked-handles.ts (a setup file) keeps; not imported, which would run it again.
const LEAKS = Symbol.for('rxflow.spec.timers');

type TimerWatch = {
  live: Map<NodeJS.Timeout, number | undefined>;
  real: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout };
};
const { live, real } = (globalThis as { [LEAKS]?: TimerWatch })[LEAKS]!;

/**
 * The check's own timeout: jest arms a timer of exactly this delay for the hook below, through the
 * same (watched) setTimeout; that one is not the file's.
 */
const HOOK_TIMEOUT_MS = 10_007;

const pending = (): number => [...live].filter(([t, ms]) => t.hasRef() && ms !== HOOK_TIMEOUT_MS).length;

afterAll(async () => {
  for (let waited = 0; waited < 2_000 && pending() > 0; waited += 50)
    await new Promise((resolve) => real.setTimeout(resolve, 50).unref());
  const left = pending();
  if (left > 0) {
    for (const [timer] of live) real.clearTimeout(timer); // fail the file, do not hang the run
    live.clear();
    throw new Error(`This spec file left ${left} timer${left === 1 ? '' : 's'} running after its tests`);
  }
}, HOOK_TIMEOUT_MS);

export {};
