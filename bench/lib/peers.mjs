// The same retry (+ timeout) policy written with each peer, as in
// /work/shared/research/peer-baselines.md. Each factory imports its library only when called, so
// a child process loads nothing but the variant it measures.
// Every factory takes the function and `{ retries, timeoutMs }` (no timeout when timeoutMs is
// undefined) and returns `call(x) => Promise`.
import { clearTimeout, setTimeout } from 'node:timers';

/** `await fn(x)`: the physical limit, no policy at all. */
export const raw = (fn) => fn;

/**
 * A hand-written retry + timeout with one timer and one wrapper promise per call: the least
 * any library can do for this policy. The timeout bounds the whole call, retries included.
 */
export function rawLean(fn, { retries, timeoutMs }) {
  return (x) =>
    new Promise((resolve, reject) => {
      let settled = false;
      let attempt = 0;
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              settled = true;
              reject(new Error(`timed out after ${timeoutMs} ms`));
            }, timeoutMs);
      const finish = (settle, value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        settle(value);
      };
      const onValue = (value) => finish(resolve, value);
      const onError = (error) => {
        if (settled) return;
        if (attempt++ < retries) start();
        else finish(reject, error);
      };
      const start = () => {
        try {
          fn(x).then(onValue, onError);
        } catch (error) {
          onError(error);
        }
      };
      start();
    });
}

/** p-retry has no per-attempt timeout: its variant is retry only (as in the baseline). */
export async function pRetry(fn, { retries }) {
  const { default: pRetryFn } = await import('p-retry');
  const options = { retries, minTimeout: 0 };
  return (x) => pRetryFn(() => fn(x), options);
}

/** cockatiel `wrap(retry, timeout Cooperative)`; its retry waits `setTimeout(0)` (≥ 1 ms) between attempts. */
export async function cockatiel(fn, { retries, timeoutMs }) {
  const { ConstantBackoff, TimeoutStrategy, handleAll, retry, timeout, wrap } = await import('cockatiel');
  const retryPolicy = retry(handleAll, { maxAttempts: retries, backoff: new ConstantBackoff(0) });
  const policy =
    timeoutMs === undefined
      ? retryPolicy
      : wrap(retryPolicy, timeout(timeoutMs, TimeoutStrategy.Cooperative));
  return (x) => policy.execute(() => fn(x));
}

/** Effect 4: `tryPromise` + `retry(Schedule.recurs(n))` + `timeout`, run with `runPromise`. */
export async function effect(fn, { retries, timeoutMs }) {
  const { Effect, Schedule } = await import('effect');
  const schedule = Schedule.recurs(retries);
  const withTimeout = timeoutMs === undefined ? (e) => e : Effect.timeout(timeoutMs);
  return (x) => Effect.runPromise(Effect.tryPromise(() => fn(x)).pipe(Effect.retry(schedule), withTimeout));
}

/** Plain RxJS: `lastValueFrom(defer(fn).pipe(retry(n), timeout(ms)))`. */
export async function rxjs(fn, { retries, timeoutMs }) {
  const { defer, lastValueFrom, retry, timeout } = await import('rxjs');
  const withTimeout = timeoutMs === undefined ? (o) => o : timeout(timeoutMs);
  return (x) => lastValueFrom(defer(() => fn(x)).pipe(retry(retries), withTimeout));
}
