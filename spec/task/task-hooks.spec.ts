import { getRunContext, OptionValidationError, task, type RunInfo } from '../../lib/index.node';
import { captureReports, collect, names, sleep, withVirtualTime } from '../engine/support';

type Call = { hook: string; task: string; runCount: number; state: string };

function recorder(calls: Call[], hook: string) {
  return (t: { readonly name: string }, run: RunInfo, state: { readonly name: string }) => {
    calls.push({ hook, task: t.name, runCount: run.runCount, state: state.name });
  };
}

describe('task', () => {
  describe('hooks', () => {
    it('should fire onRunning for each attempt, then onCompletion once, with the task, run and state', async () => {
      const calls: Call[] = [];
      let attempts = 0;
      const t = task(
        {
          name: 'hooked',
          retries: 2,
          onRunning: [recorder(calls, 'onRunning')],
          onCompletion: [recorder(calls, 'onCompletion')],
          onFailure: [recorder(calls, 'onFailure')],
        },
        () => {
          if (++attempts < 3) throw new Error('not yet');
          return 'done';
        },
      );
      await expect(t()).resolves.toBe('done');
      expect(calls).toEqual([
        { hook: 'onRunning', task: 'hooked', runCount: 1, state: 'Running' },
        { hook: 'onRunning', task: 'hooked', runCount: 2, state: 'Retrying' },
        { hook: 'onRunning', task: 'hooked', runCount: 3, state: 'Retrying' },
        { hook: 'onCompletion', task: 'hooked', runCount: 3, state: 'Completed' },
      ]);
    });

    it('should fire onFailure once for the final Failed state, not for retried attempts', async () => {
      const calls: Call[] = [];
      const t = task({ name: 'doomed', retries: 2, onFailure: [recorder(calls, 'onFailure')] }, () => {
        throw new Error('never');
      });
      await expect(t()).rejects.toThrow('never');
      expect(calls).toEqual([{ hook: 'onFailure', task: 'doomed', runCount: 3, state: 'Failed' }]);
    });

    it('should fire onFailure for a TimedOut state', async () => {
      const calls: Call[] = [];
      const t = task({ name: 'slow', timeoutSeconds: 1, onFailure: [recorder(calls, 'onFailure')] }, () =>
        sleep(5_000, getRunContext().signal),
      );
      await withVirtualTime(() => t().catch(() => undefined));
      expect(calls).toEqual([{ hook: 'onFailure', task: 'slow', runCount: 1, state: 'TimedOut' }]);
    });

    it('should run every hook of a list, in order', async () => {
      const order: string[] = [];
      const t = task(
        {
          onCompletion: [() => void order.push('first'), () => void order.push('second')],
        },
        () => 1,
      );
      t.onCompletion(() => void order.push('third'));
      await t();
      expect(order).toEqual(['first', 'second', 'third']);
    });

    it('should await async hooks before the call settles', async () => {
      const log: string[] = [];
      const t = task(
        {
          onCompletion: [
            async () => {
              await sleep(5_000);
              log.push('completion hook done');
            },
          ],
          onFailure: [
            async () => {
              await sleep(7_000);
              log.push('failure hook done');
            },
          ],
        },
        (fail: boolean) => {
          if (fail) throw new Error('asked to fail');
          return 'ok';
        },
      );
      await withVirtualTime(async () => {
        await t(false);
        log.push('call resolved');
        await t(true).catch(() => log.push('call rejected'));
      });
      expect(log).toEqual(['completion hook done', 'call resolved', 'failure hook done', 'call rejected']);
    });

    it('should await async hooks before run$ completes', async () => {
      const log: string[] = [];
      const t = task(
        {
          onCompletion: [
            async () => {
              await sleep(1_000);
              log.push('hook done');
            },
          ],
        },
        () => 'ok',
      );
      await withVirtualTime(async () => {
        const states = await collect(t.run$());
        log.push(`complete after ${names(states).join(',')}`);
      });
      expect(log).toEqual(['hook done', 'complete after Pending,Running,Completed']);
    });

    it('should report a hook that throws or rejects and leave the state and the result unchanged', async () => {
      const { reports, restore } = captureReports();
      try {
        const syncError = new Error('sync hook bug');
        const asyncError = new Error('async hook bug');
        const t = task(
          {
            name: 'fragile',
            taskRunName: 'fragile-run',
            onRunning: [
              function throwsOnRunning() {
                throw syncError;
              },
            ],
            onCompletion: [
              async function rejectsOnCompletion() {
                throw asyncError;
              },
            ],
          },
          () => 42,
        );
        const states = await collect(t.run$());
        expect(names(states)).toEqual(['Pending', 'Running', 'Completed']);
        await expect(t()).resolves.toBe(42);
        expect(reports.map((r) => r.error)).toEqual([syncError, asyncError, syncError, asyncError]);
        expect(reports.slice(0, 2).map((r) => r.message)).toMatchInlineSnapshot(`
          [
            "onRunning hook 'throwsOnRunning' of task run 'fragile-run' failed; the run's state is unchanged",
            "onCompletion hook 'rejectsOnCompletion' of task run 'fragile-run' failed; the run's state is unchanged",
          ]
        `);
      } finally {
        restore();
      }
    });

    it('should keep a failing run failed with its own error when its onFailure hook throws', async () => {
      const { reports, restore } = captureReports();
      try {
        const original = new Error('the real problem');
        const t = task(
          {
            onFailure: [
              () => {
                throw new Error('hook problem');
              },
            ],
          },
          () => {
            throw original;
          },
        );
        await expect(t()).rejects.toBe(original);
        expect(reports).toHaveLength(1);
      } finally {
        restore();
      }
    });

    it('should register hooks after definition and return the task', async () => {
      const calls: Call[] = [];
      const t = task({ name: 'late' }, () => 1);
      expect(t.onRunning(recorder(calls, 'onRunning'))).toBe(t);
      expect(t.onCompletion(recorder(calls, 'onCompletion'))).toBe(t);
      expect(t.onFailure(recorder(calls, 'onFailure'))).toBe(t);
      await t();
      expect(calls.map((c) => `${c.hook}:${c.state}`)).toEqual([
        'onRunning:Running',
        'onCompletion:Completed',
      ]);
    });

    it('should reject a hook that is not a function when it is registered', () => {
      const t = task({ name: 'strict' }, () => 1);
      let error: unknown;
      try {
        t.onCompletion('not a hook' as never);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(OptionValidationError);
      expect((error as OptionValidationError).option).toBe('onCompletion');
      expect((error as Error).message).toMatchInlineSnapshot(
        `"task 'strict': invalid option 'onCompletion': expected a hook function, got string"`,
      );
    });

    it('should let withOptions copy the hooks registered so far, and keep the two tasks apart afterwards', async () => {
      const log: string[] = [];
      const original = task({ name: 'orig' }, () => 1);
      original.onCompletion(() => void log.push('registered before withOptions'));
      const copy = original.withOptions({ retries: 1 });
      copy.onCompletion(() => void log.push('on the copy only'));
      original.onCompletion(() => void log.push('on the original only'));

      await original();
      expect(log).toEqual(['registered before withOptions', 'on the original only']);
      log.length = 0;
      await copy();
      expect(log).toEqual(['registered before withOptions', 'on the copy only']);
    });
  });
});
