import '../../lib/internal/context-node';
import fc from 'fast-check';
import { asyncScheduler, defer, finalize, from, lastValueFrom, of, Subscription, timer } from 'rxjs';
import { CancelToken } from '../../lib/internal/cancel-token';
import { currentFrame, runInFrame } from '../../lib/internal/context';
import type { RunScope } from '../../lib/internal/run-scope';
import {
  concurrency,
  createConcurrencyLimit,
  deleteConcurrencyLimit,
  getConcurrencyLimit,
  rateLimit,
} from '../../lib/limits/index';
import { Limiter, type SlotPool, type SlotWaiter } from '../../lib/limits/limiter';
import { LimiterSet } from '../../lib/limits/limiter-set';
import { concurrencyLimit } from '../../lib/operators/concurrency-limit';
import { sleep, withVirtualTime } from '../../lib/testing/index.node';

const now = () => currentFrame().clock.scheduler.now();

/** Runs `fn` as if inside a run whose signal is `token`'s. */
function inRun<T>(token: CancelToken, fn: () => T): T {
  return runInFrame({ ...currentFrame(), run: { token } as unknown as RunScope }, fn);
}

afterEach(() => deleteConcurrencyLimit('prop'));

const arbJob = (maxOccupy: number) =>
  fc.record({
    startMs: fc.integer({ min: 0, max: 50 }),
    durationMs: fc.integer({ min: 0, max: 100 }),
    occupy: fc.integer({ min: 1, max: maxOccupy }),
    fails: fc.boolean(),
    timeoutSeconds: fc.option(fc.integer({ min: 0, max: 100 }).map((ms) => ms / 1000)),
    cancelAtMs: fc.option(fc.integer({ min: 0, max: 150 })),
  });

/** One step of a FIFO scenario: a caller asks for slots, a holder releases, a waiter leaves. */
const arbStep = fc.oneof(
  fc.record({ kind: fc.constant('request' as const), occupy: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('leave' as const), pick: fc.nat() }),
);

describe('limits (properties)', () => {
  it('should serve callers first come first served: nobody takes free slots past a queued caller (FIFO)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 5 }),
        fc.option(fc.integer({ min: 3, max: 5 }), { nil: undefined }),
        fc.array(arbStep, { maxLength: 60 }),
        (limit, secondLimit, steps) => {
          // One limit, or two taken together (concurrency(['a', 'b'])), as acquireSlots uses them.
          const a = new Limiter('a', limit, 0, asyncScheduler);
          const b = secondLimit === undefined ? undefined : new Limiter('b', secondLimit, 0, asyncScheduler);
          const pool: SlotPool = b === undefined ? a : new LimiterSet([a, b]);
          const requested: number[] = [];
          const granted: number[] = [];
          const held: { id: number; occupy: number }[] = [];
          const waiting: (SlotWaiter & { id: number })[] = [];
          let overLimit = false;
          const observe = () => {
            if (a.active > a.limit || (b !== undefined && b.active > b.limit)) overLimit = true;
          };
          const grantOf = (id: number, occupy: number) => {
            granted.push(id);
            held.push({ id, occupy });
          };
          const settle = () => {
            for (let i = waiting.length - 1; i >= 0; i--)
              if (waiting[i]!.queueIndex < 0) waiting.splice(i, 1);
            observe();
          };
          for (const step of steps) {
            if (step.kind === 'request') {
              const id = requested.length;
              requested.push(id);
              if (pool.tryAcquire(step.occupy)) grantOf(id, step.occupy);
              else {
                const waiter = {
                  id,
                  occupy: step.occupy,
                  queueIndex: -1,
                  grant: () => grantOf(id, step.occupy),
                  fail: (error: unknown) => {
                    throw error;
                  },
                };
                waiting.push(waiter);
                pool.enqueue(waiter);
              }
            } else if (step.kind === 'release' && held.length > 0) {
              const [holder] = held.splice(step.pick % held.length, 1);
              pool.release(holder!.occupy);
            } else if (step.kind === 'leave' && waiting.length > 0) {
              const [leaver] = waiting.splice(step.pick % waiting.length, 1);
              requested.splice(requested.indexOf(leaver!.id), 1);
              expect(pool.remove(leaver!)).toBe(true);
            }
            settle();
          }
          // Everyone still waiting is served once the holders are done.
          while (held.length > 0) {
            pool.release(held.shift()!.occupy);
            settle();
          }
          expect(waiting).toEqual([]);
          expect(granted).toEqual(requested);
          expect(overLimit).toBe(false);
          expect([a.active, a.waiting, b?.active ?? 0, b?.waiting ?? 0]).toEqual([0, 0, 0, 0]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('should never exceed a concurrency limit, end every waiter and release every slot', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 4 })
          .chain((limit) => fc.tuple(fc.constant(limit), fc.array(arbJob(limit + 1), { maxLength: 12 }))),
        async ([limit, jobs]) => {
          const { maxLive, outcomes } = await withVirtualTime(async () => {
            createConcurrencyLimit('prop', { limit });
            let live = 0;
            let maxLive = 0;
            const outcomes = await Promise.allSettled(
              jobs.map(async (job) => {
                await sleep(job.startMs);
                const token = new CancelToken();
                if (job.cancelAtMs !== null)
                  void sleep(job.cancelAtMs).then(() => token.abort(new Error('cancelled')));
                return inRun(token, () =>
                  concurrency(
                    'prop',
                    async () => {
                      live += job.occupy;
                      maxLive = Math.max(maxLive, live);
                      await sleep(job.durationMs);
                      live -= job.occupy;
                      if (job.fails) throw new Error('failed');
                      return 'done';
                    },
                    { occupy: job.occupy, timeoutSeconds: job.timeoutSeconds ?? undefined },
                  ),
                );
              }),
            );
            return { maxLive, outcomes };
          });
          expect(maxLive).toBeLessThanOrEqual(limit);
          expect(outcomes).toHaveLength(jobs.length);
          jobs.forEach((job, i) => {
            if (job.occupy > limit) expect(outcomes[i]!.status).toBe('rejected');
          });
          expect(getConcurrencyLimit('prop')).toMatchObject({ active: 0, waiting: 0 });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('should never let more than limit + rate × window slots through a rate limit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(0.5, 1, 2, 5, 10),
        fc.array(
          fc.record({ atMs: fc.integer({ min: 0, max: 3000 }), occupy: fc.integer({ min: 1, max: 3 }) }),
          {
            maxLength: 15,
          },
        ),
        async (limit, decay, calls) => {
          const grants = await withVirtualTime(async () => {
            createConcurrencyLimit('prop', { limit, slotDecayPerSecond: decay });
            const grants: { at: number; occupy: number }[] = [];
            await Promise.allSettled(
              calls.map(async ({ atMs, occupy }) => {
                await sleep(atMs);
                await rateLimit('prop', { occupy });
                grants.push({ at: now(), occupy });
              }),
            );
            return grants;
          });
          expect(grants).toHaveLength(calls.filter((c) => c.occupy <= limit).length);
          grants.sort((a, b) => a.at - b.at);
          for (let i = 0; i < grants.length; i++) {
            let taken = 0;
            for (let j = i; j < grants.length; j++) {
              taken += grants[j]!.occupy;
              const window = (grants[j]!.at - grants[i]!.at) / 1000;
              expect(taken).toBeLessThanOrEqual(limit + decay * window + 1e-6);
            }
          }
          expect(getConcurrencyLimit('prop')?.waiting).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('should keep rateLimit within limit + rate × window when concurrency() and concurrencyLimit holders share the limit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(0.5, 1, 2, 5, 10),
        fc.array(
          fc.record({
            atMs: fc.integer({ min: 0, max: 3000 }),
            occupy: fc.integer({ min: 1, max: 3 }),
            // null: a rateLimit call; else a holder of its slots for that long
            holdMs: fc.option(fc.integer({ min: 0, max: 2000 })),
            // the holder: a concurrency() call, or a concurrencyLimit inner (a Promise or an Observable)
            holder: fc.constantFrom('concurrency', 'promise inner', 'observable inner'),
          }),
          { maxLength: 15 },
        ),
        async (limit, decay, calls) => {
          const grants = await withVirtualTime(async () => {
            createConcurrencyLimit('prop', { limit, slotDecayPerSecond: decay });
            const grants: { at: number; occupy: number }[] = [];
            await Promise.allSettled(
              calls.map(async ({ atMs, occupy, holdMs, holder }) => {
                await sleep(atMs);
                if (holdMs === null) {
                  await rateLimit('prop', { occupy });
                  grants.push({ at: now(), occupy });
                } else if (holder === 'concurrency')
                  await concurrency('prop', () => sleep(holdMs), { occupy });
                else {
                  const scheduler = currentFrame().clock.scheduler;
                  const hold = () => (holder === 'promise inner' ? sleep(holdMs) : timer(holdMs, scheduler));
                  await lastValueFrom(of(0).pipe(concurrencyLimit(hold, 'prop', { occupy })), {
                    defaultValue: undefined,
                  });
                }
              }),
            );
            return grants;
          });
          grants.sort((a, b) => a.at - b.at);
          for (let i = 0; i < grants.length; i++) {
            let taken = 0;
            for (let j = i; j < grants.length; j++) {
              taken += grants[j]!.occupy;
              const window = (grants[j]!.at - grants[i]!.at) / 1000;
              expect(taken).toBeLessThanOrEqual(limit + decay * window + 1e-6);
            }
          }
          expect(getConcurrencyLimit('prop')?.waiting).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('should keep concurrencyLimit within its limit and unsubscribe every inner, also when cut short', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 30 }),
        fc.option(fc.integer({ min: 0, max: 200 })),
        fc.boolean(),
        async (limit, durations, stopAtMs, shared) => {
          const { maxLive, live, emitted, completed } = await withVirtualTime(async () => {
            if (shared) createConcurrencyLimit('prop', { limit });
            const scheduler = currentFrame().clock.scheduler;
            let live = 0;
            let maxLive = 0;
            let emitted = 0;
            let completed = false;
            let subscription: Subscription | undefined;
            await new Promise<void>((resolve) => {
              subscription = from(durations)
                .pipe(
                  concurrencyLimit(
                    (ms) =>
                      defer(() => {
                        maxLive = Math.max(maxLive, ++live);
                        return timer(ms, scheduler);
                      }).pipe(finalize(() => live--)),
                    shared ? 'prop' : limit,
                  ),
                )
                .subscribe({
                  next: () => emitted++,
                  complete: () => {
                    completed = true;
                    resolve();
                  },
                });
              if (stopAtMs !== null)
                void sleep(stopAtMs).then(() => {
                  subscription?.unsubscribe();
                  resolve();
                });
            });
            subscription?.unsubscribe();
            return { maxLive, live, emitted, completed };
          });
          expect(maxLive).toBeLessThanOrEqual(limit);
          expect(live).toBe(0);
          if (completed) expect(emitted).toBe(durations.length);
          if (shared) expect(getConcurrencyLimit('prop')).toMatchObject({ active: 0, waiting: 0 });
        },
      ),
      { numRuns: 150 },
    );
  });
});
