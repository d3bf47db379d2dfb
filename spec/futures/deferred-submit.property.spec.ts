// Submitted runs queued unbuilt (SubmittedRun.defer, grouped by SubmitSite) under any mix of
// submit and map calls, bodies that end in any order, cancelled futures and cancelled flows.
// Deferral is off under virtual time, so this runs on the real clock; no test waits for a
// timer: bodies end when the test opens their gates, and the test steps with setImmediate.
import fc from 'fast-check';
import { ConcurrentTaskRunner, flow, getRunContext, task, type TaskRunFuture } from '../../lib/index.node';
import { deferredRuns } from '../../lib/internal/engine/registry';
import { deferred } from '../engine/support';

type Call = { kind: 'submit' } | { kind: 'map'; n: number };
type Action = { kind: 'end'; pick: number; fail: boolean } | { kind: 'cancel'; pick: number };

const callArb: fc.Arbitrary<Call> = fc.oneof(
  fc.constant<Call>({ kind: 'submit' }),
  fc.record({ kind: fc.constant<'map'>('map'), n: fc.nat({ max: 5 }) }),
);
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant<'end'>('end'), pick: fc.nat(), fail: fc.boolean() }),
  fc.record({ kind: fc.constant<'cancel'>('cancel'), pick: fc.nat() }),
);

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('deferred submitted runs (property)', () => {
  it('should end every run, never exceed maxConcurrency, never run a body cancelled while queued or after its flow was, and leave nothing deferred', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.array(callArb, { minLength: 1, maxLength: 5 }),
        fc.array(actionArb, { maxLength: 20 }),
        fc.option(fc.nat({ max: 20 }), { nil: undefined }),
        async (maxConcurrency, calls, actions, cancelFlowAt) => {
          /** Gates of started bodies, by item number, and whether each body ran. */
          const gates = new Map<number, { resolve: (fail: boolean) => void }>();
          const started = new Set<number>();
          let live = 0;
          let most = 0;
          const step = task({ name: 'step' }, async (item: number) => {
            const signal = getRunContext().signal;
            started.add(item);
            most = Math.max(most, ++live);
            // A body holds its slot until it ends or its signal fires: a cancelled run gives the
            // slot back as it ends, without waiting for the body to notice.
            let holding = true;
            const leave = () => {
              if (holding) live--;
              holding = false;
              gates.delete(item);
            };
            try {
              const fail = await new Promise<boolean>((resolve, reject) => {
                gates.set(item, { resolve });
                signal.addEventListener(
                  'abort',
                  () => {
                    leave();
                    reject(signal.reason);
                  },
                  { once: true },
                );
              });
              if (fail) throw new Error(`item ${item} failed`);
              return item;
            } finally {
              leave();
            }
          });
          const futures: TaskRunFuture<number>[] = [];
          const cancelledFirst = new Set<number>(); // cancelled before their body started
          const submitted = deferred();
          let next = 0;
          const f = flow({ taskRunner: new ConcurrentTaskRunner({ maxConcurrency }) }, async () => {
            for (const call of calls) {
              if (call.kind === 'submit') futures.push(step.submit(next++));
              else {
                const items = Array.from({ length: call.n }, () => next++);
                futures.push(...step.map(items));
              }
            }
            submitted.resolve();
            await Promise.all(futures.map((future) => future.wait()));
          });
          const subscription = f.run$().subscribe();
          let startedBeforeFlowCancel: Set<number> | undefined;
          await submitted.promise;
          for (let i = 0; i < actions.length; i++) {
            if (cancelFlowAt === i) {
              subscription.unsubscribe();
              startedBeforeFlowCancel = new Set(started);
            }
            const action = actions[i]!;
            if (action.kind === 'end') {
              const open = [...gates.keys()];
              if (open.length > 0) gates.get(open[action.pick % open.length]!)!.resolve(action.fail);
            } else if (futures.length > 0) {
              const item = action.pick % futures.length;
              if (!started.has(item) && !futures[item]!.done) cancelledFirst.add(item);
              futures[item]!.cancel();
            }
            await tick();
          }
          // Open every gate until all runs have ended (a run may start as another ends).
          for (let round = 0; round < 100 && futures.some((future) => !future.done); round++) {
            for (const gate of [...gates.values()]) gate.resolve(false);
            await tick();
          }
          subscription.unsubscribe();

          expect(futures.every((future) => future.done)).toBe(true);
          expect(most).toBeLessThanOrEqual(maxConcurrency);
          for (const item of cancelledFirst) {
            expect(started.has(item)).toBe(false);
            expect(futures[item]!.state.name).toBe('Cancelled');
          }
          // A flow's cancellation cancels its queued runs: none starts afterwards.
          if (startedBeforeFlowCancel !== undefined) {
            for (let item = 0; item < futures.length; item++) {
              if (startedBeforeFlowCancel.has(item)) continue;
              expect(started.has(item)).toBe(false);
              expect(futures[item]!.state.name).toBe('Cancelled');
            }
          }
          for (const future of futures) {
            expect(['Completed', 'Failed', 'Cancelled']).toContain(future.state.name);
          }
          expect([...deferredRuns]).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  }, 60_000);
});
