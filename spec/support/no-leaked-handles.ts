// Every spec file must stop the timers it starts: a timer still pending (and keeping the process
// alive) two seconds after a file's last test is a run, subscription or wait that was never torn
// down. Only the test's own timers are watched (jest's are its business); unref'd ones do not
// keep the process alive and do not count; under jest's fake timers nothing is watched. This
// replaces --detectOpenHandles, which only printed, and forced one worker. The check itself is in
// leak-check.ts (it needs jest's afterAll, which setup files do not have yet).

/** Where leak-check.ts finds this file's watch list. */
export const LEAKS = Symbol.for('rxflow.spec.timers');

/** Each pending timer of the test's, with its delay. */
const live = new Map<NodeJS.Timeout, number | undefined>();
const real = { setTimeout, setInterval, clearTimeout, clearInterval };

globalThis.setTimeout = Object.assign((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
  const timer = real.setTimeout(
    (...a: unknown[]) => {
      live.delete(timer);
      fn(...a);
    },
    ms,
    ...args,
  );
  live.set(timer, ms);
  return timer;
}, real.setTimeout) as typeof setTimeout;

globalThis.setInterval = Object.assign(
  (fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const timer = real.setInterval(fn, ms, ...args);
    live.set(timer, ms);
    return timer;
  },
  real.setInterval,
) as typeof setInterval;

globalThis.clearTimeout = ((timer?: NodeJS.Timeout | string | number) => {
  live.delete(timer as NodeJS.Timeout);
  real.clearTimeout(timer);
}) as typeof clearTimeout;

globalThis.clearInterval = ((timer?: NodeJS.Timeout | string | number) => {
  live.delete(timer as NodeJS.Timeout);
  real.clearInterval(timer);
}) as typeof clearInterval;

(globalThis as { [LEAKS]?: unknown })[LEAKS] = { live, real };
