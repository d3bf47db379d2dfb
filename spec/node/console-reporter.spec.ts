import { flow, setErrorReporter, task } from '../../lib/index.node';
import { consoleReporter, type ConsoleReporter } from '../../lib/node/index';
import { flaky, sleep, VirtualScheduler, withVirtualTime } from '../../lib/testing/index.node';
import { FakeStream, FakeTTY } from './reporter-support';

let reporter: ConsoleReporter | undefined;
const started: ConsoleReporter[] = [];
afterEach(() => {
  for (const r of started.splice(0)) r.stop();
  reporter = undefined;
});

function report(options: Parameters<typeof consoleReporter>[0]): ConsoleReporter {
  reporter = consoleReporter(options);
  started.push(reporter);
  return reporter;
}

/** A small ETL: a task that fails once, a subflow, a plain task. */
function etlFlow() {
  let calls = 0;
  const extract = task(
    { name: 'extract', taskRunName: 'extract', retries: 2, retryDelaySeconds: 10 },
    async () => {
      await sleep(500);
      if (++calls === 1) throw new Error('503 Service Unavailable');
      return [1, 2, 3];
    },
  );
  const check = task({ name: 'check', taskRunName: 'check' }, (rows: number[]) => rows.length === 3);
  const validate = flow({ name: 'validate', flowRunName: 'validate' }, (rows: number[]) => check(rows));
  const load = task({ name: 'load', taskRunName: 'load-{table}' }, async (table: string, rows: number[]) => {
    await sleep(250);
    return { table, loaded: rows.length };
  });
  return flow({ name: 'etl', flowRunName: 'etl' }, async () => {
    const rows = await extract();
    await validate(rows);
    return load('sales', rows);
  });
}

describe('consoleReporter', () => {
  describe('in lines mode (not a TTY)', () => {
    it('should write one line per state change, indented by depth, then a summary', async () => {
      const out = new FakeStream();
      const etl = etlFlow();
      await withVirtualTime(async () => {
        const r = report({ stream: out });
        expect(r.mode).toBe('lines');
        await etl();
        expect(r.activeRuns).toBe(0);
      });
      expect(out.lines).toMatchInlineSnapshot(`
       [
         "+0.00s  etl                          Pending",
         "+0.00s  etl                          Running",
         "+0.00s    extract                    Pending",
         "+0.00s    extract                    Running",
         "+0.50s    extract                    AwaitingRetry  Retry 1/2 will start 10s from now, after: Error: 503 Service Unavailable",
         "+10.50s   extract                    Retrying       attempt 2",
         "+11.00s   extract                    Completed      in 11s → 3 items",
         "+11.00s   validate                   Pending",
         "+11.00s   validate                   Running",
         "+11.00s     check                    Pending",
         "+11.00s     check                    Running",
         "+11.00s     check                    Completed      in 0ms → true",
         "+11.00s   validate                   Completed      in 0ms → true",
         "+11.00s   load-sales                 Pending",
         "+11.00s   load-sales                 Running",
         "+11.25s   load-sales                 Completed      in 250ms → { table: 'sales', loaded: 3 }",
         "+11.25s etl                          Completed      in 11.25s → { table: 'sales', loaded: 3 }",
         "Summary: etl Completed in 11.25s; task runs: 3 Completed; subflow runs: 1 Completed; 1 retry",
       ]
      `);
    });

    it('should show a fan-out as progress lines once enough of its runs are in flight', async () => {
      const out = new FakeStream();
      const double = task({ name: 'double', retries: 1 }, async (n: number) => {
        await sleep(10 * (n + 1));
        if (n === 7 || n === 21) throw new Error(`bad ${n}`);
        return n * 2;
      });
      const fan = flow(
        { name: 'fan', flowRunName: 'fan' },
        async () => (await double.map(range(30)).wait()).length,
      );
      await withVirtualTime(async () => {
        report({ stream: out, fanOutThreshold: 4, time: 'none' });
        await fan();
      });
      const lines = out.lines.map((line) => line.replace(/double-\w{3}/, 'double-xxx'));
      expect(lines).toMatchInlineSnapshot(`
       [
         "fan                          Pending",
         "fan                          Running",
         "  double-xxx                 Pending",
         "  double-xxx                 Running",
         "  double-xxx                 Pending",
         "  double-xxx                 Running",
         "  double-xxx                 Pending",
         "  double-xxx                 Running",
         "  double ×4+                 fan-out: progress lines from here on, failures and the first 3 retries still shown",
         "  double ×30 [##------------------] 3/30",
         "  double ×30 [####----------------] 6/30",
         "  double-xxx                 Retrying       attempt 2",
         "  double ×30 [######--------------] 9/30, 1 retried",
         "  double ×30 [########------------] 12/30, 1 retried",
         "  double ×30 [##########----------] 15/30, 1 retried",
         "  double-xxx                 Failed         after 160ms: Error: bad 7",
         "  double ×30 [############--------] 18/30, 1 failed, 1 retried",
         "  double ×30 [##############------] 21/30, 1 failed, 1 retried",
         "  double-xxx                 Retrying       attempt 2",
         "  double ×30 [################----] 24/30, 1 failed, 2 retried",
         "  double ×30 [##################--] 27/30, 1 failed, 2 retried",
         "  double-xxx                 Failed         after 440ms: Error: bad 21",
         "  double ×30 [####################] 30/30, 2 failed, 2 retried",
         "fan                          Completed      in 440ms → 30",
         "Summary: fan Completed in 440ms; task runs: 28 Completed, 2 Failed; 2 retries",
       ]
      `);
    });

    it('should count cancelled runs of a fan-out without a line each', async () => {
      const out = new FakeStream();
      const wait = task({ name: 'wait' }, (n: number) => sleep(n === 0 ? 10 : 60_000));
      const job = flow({ name: 'job', flowRunName: 'job', timeoutSeconds: 1 }, async () => {
        await wait.map(range(20)).wait();
      });
      await withVirtualTime(async () => {
        report({ stream: out, fanOutThreshold: 4, time: 'none' });
        await job().catch(() => undefined);
      });
      expect(out.lines.filter((line) => / Cancelled /.test(line))).toEqual([]);
      expect(out.lines.slice(-3)).toMatchInlineSnapshot(`
       [
         "  wait ×20 [####################] 20/20, 19 cancelled",
         "job                          TimedOut       after 1s: Flow 'job' exceeded its timeout of 1s",
         "Summary: job TimedOut in 1s; task runs: 1 Completed, 19 Cancelled",
       ]
      `);
    });

    it('should indent a run started in a task body under that task', async () => {
      const out = new FakeStream();
      const inner = task({ name: 'inner', taskRunName: 'inner' }, () => 'in');
      const outer = task({ name: 'outer', taskRunName: 'outer' }, () => inner());
      const job = flow({ name: 'job', flowRunName: 'job' }, () => outer());
      await withVirtualTime(async () => {
        report({ stream: out, time: 'none', results: false, summary: false });
        await job();
      });
      expect(out.lines.filter((line) => line.includes('Completed'))).toMatchInlineSnapshot(`
       [
         "    inner                    Completed      in 0ms",
         "  outer                      Completed      in 0ms",
         "job                          Completed      in 0ms",
       ]
      `);
    });

    it('should show a run it first sees mid-way as a root', async () => {
      const out = new FakeStream();
      const inner = task({ name: 'inner', taskRunName: 'inner' }, () => 'in');
      const outer = task({ name: 'outer', taskRunName: 'outer' }, async () => {
        await sleep(100);
        return inner();
      });
      const job = flow({ name: 'job', flowRunName: 'job' }, () => outer());
      await withVirtualTime(async () => {
        const done = job();
        await sleep(50);
        report({ stream: out, time: 'none', results: false });
        await done;
      });
      expect(out.lines).toMatchInlineSnapshot(`
       [
         "inner                        Pending",
         "inner                        Running",
         "inner                        Completed      in 0ms",
         "outer                        Completed      in 100ms",
         "job                          Completed      in 100ms",
         "Summary: job Completed in 100ms",
       ]
      `);
    });

    it('should list runs made one at a time, never collapsing them', async () => {
      const out = new FakeStream();
      const step = task({ name: 'step', taskRunName: 'step-{n}' }, (n: number) => n);
      const loop = flow({ name: 'loop', flowRunName: 'loop' }, async () => {
        for (const n of range(12)) await step(n);
      });
      report({ stream: out, fanOutThreshold: 2, time: 'none' });
      await loop();
      expect(out.lines.filter((line) => line.includes('step-'))).toHaveLength(36);
      expect(out.text).not.toContain('fan-out');
    });

    it('should keep interleaved runs under their own parents', async () => {
      const out = new FakeStream();
      const work = task({ name: 'work', taskRunName: 'work-{who}' }, async (who: string) => {
        await sleep(who === 'a' ? 30 : 10);
        return who;
      });
      const job = flow({ name: 'job', flowRunName: 'job-{who}' }, async (who: string) => {
        await sleep(who === 'a' ? 5 : 10);
        return work(who);
      });
      await withVirtualTime(async () => {
        report({ stream: out, time: 'elapsed', results: false, summary: false });
        await Promise.all([job('a'), job('b')]);
      });
      expect(out.lines).toMatchInlineSnapshot(`
       [
         "+0.00s  job-a                        Pending",
         "+0.00s  job-a                        Running",
         "+0.00s  job-b                        Pending",
         "+0.00s  job-b                        Running",
         "+0.01s    work-a                     Pending",
         "+0.01s    work-a                     Running",
         "+0.01s    work-b                     Pending",
         "+0.01s    work-b                     Running",
         "+0.02s    work-b                     Completed      in 10ms",
         "+0.02s  job-b                        Completed      in 20ms",
         "+0.04s    work-a                     Completed      in 30ms",
         "+0.04s  job-a                        Completed      in 35ms",
       ]
      `);
    });

    it('should follow the time, results, summary and color options', async () => {
      const out = new FakeStream();
      const add = task({ name: 'add', taskRunName: 'add' }, (a: number, b: number) => a + b);
      const calc = flow({ name: 'calc', flowRunName: 'calc' }, () => add(1, 2));
      await withVirtualTime(
        async () => {
          report({ stream: out, time: 'clock', results: false, summary: false, color: true });
          await calc();
        },
        { start: new Date(2024, 5, 1, 14, 3, 7, 250) },
      );
      expect(out.lines).toMatchInlineSnapshot(`
       [
         "[2m14:03:07.250 [0mcalc                         [2mPending[0m",
         "[2m14:03:07.250 [0mcalc                         [36mRunning[0m",
         "[2m14:03:07.250 [0m  add                        [2mPending[0m",
         "[2m14:03:07.250 [0m  add                        [36mRunning[0m",
         "[2m14:03:07.250 [0m  add                        [32mCompleted[0m      in 0ms",
         "[2m14:03:07.250 [0mcalc                         [32mCompleted[0m      in 0ms",
       ]
      `);
    });

    it('should show only the runs the filter keeps', async () => {
      const out = new FakeStream();
      const add = task({ name: 'add', taskRunName: 'add' }, (a: number, b: number) => a + b);
      const calc = flow({ name: 'calc', flowRunName: 'calc' }, () => add(1, 2));
      await withVirtualTime(async () => {
        report({ stream: out, time: 'none', filter: ({ run }) => run.kind === 'task' });
        await calc();
      });
      expect(out.lines).toMatchInlineSnapshot(`
       [
         "add                          Pending",
         "add                          Running",
         "add                          Completed      in 0ms → 3",
       ]
      `);
    });

    it('should report a filter that throws and leave the runs alone', async () => {
      const reported: string[] = [];
      const restore = setErrorReporter((message) => reported.push(message));
      try {
        const one = task({ name: 'one', taskRunName: 'one' }, () => 1);
        report({
          stream: new FakeStream(),
          filter: () => {
            throw new Error('oops');
          },
        });
        await expect(one()).resolves.toBe(1);
      } finally {
        restore();
      }
      expect(reported).toHaveLength(3);
      expect(reported[0]).toBe("consoleReporter: reporting state 'Pending' of run 'one' failed");
    });

    it('should write nothing once stopped', async () => {
      const out = new FakeStream();
      const one = task({ name: 'one', taskRunName: 'one' }, () => 1);
      const r = report({ stream: out });
      await one();
      r.stop();
      r.stop();
      expect(r.stopped).toBe(true);
      const written = out.text;
      await one();
      expect(out.text).toBe(written);
    });
  });

  describe('in live mode (a TTY)', () => {
    it('should choose the mode from the stream, unless told', () => {
      expect(report({ stream: new FakeTTY() }).mode).toBe('live');
      expect(report({ stream: new FakeTTY(), mode: 'lines' }).mode).toBe('lines');
      expect(report({ stream: new FakeStream(), mode: 'live' }).mode).toBe('live');
    });

    it('should draw the runs in flight as a tree, with a progress bar per fan-out', async () => {
      const tty = new FakeTTY(60);
      const resize = task({ name: 'resize', taskRunName: 'resize-{n}' }, (n: number) => sleep(100 * (n + 1)));
      const upload = task({ name: 'upload', taskRunName: 'upload' }, () => sleep(2000));
      const sub = flow({ name: 'sub', flowRunName: 'sub' }, () => upload());
      const job = flow({ name: 'job', flowRunName: 'job' }, async () => {
        const pending = sub();
        await resize.map(range(20)).wait();
        await pending;
      });
      const screens: string[][] = [];
      await withVirtualTime(async () => {
        report({ stream: tty, fanOutThreshold: 5, time: 'none' });
        const done = job();
        await sleep(550);
        screens.push(tty.screen.lines);
        await sleep(1600);
        screens.push(tty.screen.lines);
        await done;
      });
      expect(screens).toMatchInlineSnapshot(`
       [
         [
           "job Running",
           "  sub Running",
           "    upload Running",
           "  resize ×20 [#####---------------] 5/20",
         ],
         [
           "    upload                   Completed      in 2s",
           "  sub                        Completed      in 2s",
           "  resize ×20 [####################] 20/20",
           "job                          Completed      in 2s",
           "Summary: job Completed in 2s; task runs: 21 Completed; subflow runs: 1 Completed",
         ],
       ]
      `);
      expect(tty.screen.cursorVisible).toBe(false);
      reporter!.stop();
      expect(tty.screen.cursorVisible).toBe(true);
    });

    it('should keep finished runs, retries and a summary above the tree, and end on a clean screen', async () => {
      const tty = new FakeTTY();
      const etl = etlFlow();
      await withVirtualTime(async () => {
        report({ stream: tty });
        await etl();
        reporter!.stop();
      });
      expect(tty.screen.lines).toMatchInlineSnapshot(`
       [
         "+0.50s    extract                    AwaitingRetry  Retry 1/2 will start 10s from now, after: Error: 503 Service Unavailable",
         "+11.00s   extract                    Completed      in 11s → 3 items",
         "+11.00s     check                    Completed      in 0ms → true",
         "+11.00s   validate                   Completed      in 0ms → true",
         "+11.25s   load-sales                 Completed      in 250ms → { table: 'sales', loaded: 3 }",
         "+11.25s etl                          Completed      in 11.25s → { table: 'sales', loaded: 3 }",
         "Summary: etl Completed in 11.25s; task runs: 3 Completed; subflow runs: 1 Completed; 1 retry",
       ]
      `);
      expect(tty.screen.cursorVisible).toBe(true);
    });

    it('should redraw at most once per refreshMs, however many states change', async () => {
      const tty = new FakeTTY();
      const step = task({ name: 'step' }, () => sleep(10));
      const many = flow({ name: 'many', flowRunName: 'many' }, async () => {
        for (const _ of range(100)) await step(); // 300 states in 1 s
      });
      await withVirtualTime(async () => {
        report({ stream: tty, refreshMs: 100 });
        await many();
        reporter!.stop();
      });
      const redraws = tty.chunks.length;
      expect(redraws).toBeGreaterThanOrEqual(9);
      expect(redraws).toBeLessThanOrEqual(13);
    });

    it('should print other writes to the stream above the tree', async () => {
      const tty = new FakeTTY();
      const slow = task({ name: 'slow', taskRunName: 'slow' }, async () => {
        await sleep(300);
        tty.write('a line from the task\n');
        tty.write('half a line, ');
        tty.write('then the rest\n');
        await sleep(300);
      });
      const screens: string[][] = [];
      await withVirtualTime(async () => {
        report({ stream: tty, time: 'none' });
        const done = slow();
        await sleep(400);
        screens.push(tty.screen.lines);
        await done;
        reporter!.stop();
        screens.push(tty.screen.lines);
      });
      expect(screens).toMatchInlineSnapshot(`
       [
         [
           "a line from the task",
           "half a line, then the rest",
           "slow Running",
         ],
         [
           "a line from the task",
           "half a line, then the rest",
           "slow                         Completed      in 600ms",
         ],
       ]
      `);
    });

    it('should start the tree on a new line after a write that ended mid-line', async () => {
      const tty = new FakeTTY();
      const slow = task({ name: 'slow', taskRunName: 'slow' }, () => sleep(300));
      await withVirtualTime(async () => {
        report({ stream: tty, time: 'none' });
        const done = slow();
        await sleep(10);
        expect(tty.screen.lines).toEqual(['slow Running']);
        tty.write('progress: ');
        tty.write('50%');
        await sleep(200);
        expect(tty.screen.lines).toEqual(['progress: 50%', 'slow Running']);
        await done;
      });
    });

    it('should cut lines to the width and the tree to the height of the terminal', async () => {
      const tty = new FakeTTY(30, 8);
      const wait = task({ name: 'wait', taskRunName: 'a-rather-long-run-name-{n}' }, (n: number) =>
        sleep(100 + n),
      );
      const job = flow({ name: 'job', flowRunName: 'job' }, async () => {
        await Promise.all(range(7).map((n) => wait(n)));
      });
      await withVirtualTime(async () => {
        report({ stream: tty, time: 'none', fanOutThreshold: 100 });
        const done = job();
        await sleep(50);
        expect(tty.screen.lines).toMatchInlineSnapshot(`
         [
           "job Running",
           "  a-rather-long-run-name-0 R…",
           "  a-rather-long-run-name-1 R…",
           "  a-rather-long-run-name-2 R…",
           "  a-rather-long-run-name-3 R…",
           "… 3 more",
         ]
        `);
        await done;
      });
    });

    it('should restore write and leave no timer behind at stop', async () => {
      const tty = new FakeTTY();
      const scheduler = new VirtualScheduler();
      const one = task({ name: 'one', taskRunName: 'one' }, () => 1);
      const r = report({ stream: tty, scheduler, refreshMs: 100 });
      expect(Object.prototype.hasOwnProperty.call(tty, 'write')).toBe(true);
      await one();
      expect(scheduler.pendingCount).toBe(1); // the redraw, throttled
      r.stop();
      expect(scheduler.pendingCount).toBe(0);
      expect(Object.prototype.hasOwnProperty.call(tty, 'write')).toBe(false);
      expect(tty.screen.lines).toEqual([
        expect.stringMatching(/^\+0\.0\ds {2}one +Completed +in \d+ms → 1$/),
      ]);
      expect(process.listenerCount('exit')).toBe(exitListeners);
    });

    it('should leave the last tree on screen when stopped mid-run', async () => {
      const tty = new FakeTTY();
      const slow = task({ name: 'slow', taskRunName: 'slow' }, () => sleep(1000));
      await withVirtualTime(async () => {
        const r = report({ stream: tty, time: 'none' });
        const done = slow();
        await sleep(500);
        r.stop();
        expect(tty.screen.lines).toEqual(['slow Running']);
        expect(tty.screen.cursorVisible).toBe(true);
        await done;
        expect(tty.screen.lines).toEqual(['slow Running']);
      });
    });

    it('should leave the stream alone with captureWrites: false', () => {
      const tty = new FakeTTY();
      report({ stream: tty, captureWrites: false });
      expect(Object.prototype.hasOwnProperty.call(tty, 'write')).toBe(false);
    });
  });

  describe('retries', () => {
    /** A map of `n` runs that each fail their first attempt, retried after a jittered delay. */
    function flakyFan(n: number) {
      const seen = new Set<number>();
      const resize = task(
        { name: 'resize', retries: 1, retryDelaySeconds: 0.05, retryJitterFactor: 0.5 },
        async (i: number) => {
          await sleep(10);
          if (!seen.has(i)) {
            seen.add(i);
            throw new Error(`busy ${i}`);
          }
          return i;
        },
      );
      return flow(
        { name: 'fan', flowRunName: 'fan' },
        async () => (await resize.map(range(n)).wait()).length,
      );
    }

    it('should show a retry delay as a readable duration', async () => {
      const out = new FakeStream();
      const one = task(
        { name: 'one', taskRunName: 'one', retries: 1, retryDelaySeconds: 0.05, retryJitterFactor: 0.5 },
        flaky(1, () => 1),
      );
      await withVirtualTime(
        async () => {
          report({ stream: out, time: 'none' });
          await one();
        },
        { seed: 3 },
      );
      const retry = out.lines.find((line) => line.includes('AwaitingRetry'))!;
      expect(retry).toMatch(/AwaitingRetry {2}Retry 1\/1 will start \d{2}ms from now, after: Error: /);
    });

    it('should show the first retries of a fan-out, then only count them on its progress line', async () => {
      const out = new FakeStream();
      const fan = flakyFan(500);
      await withVirtualTime(async () => {
        report({ stream: out, fanOutThreshold: 8, time: 'none' });
        expect(await fan()).toBe(500);
      });
      const lines = out.lines.map((line) => line.replace(/resize-\w{3}/, 'resize-xxx'));
      const retryLines = lines.filter((line) => / (AwaitingRetry|Retrying) /.test(line));
      // Three retries shown (each AwaitingRetry and Retrying), whichever runs they were.
      expect(retryLines.filter((line) => line.includes('AwaitingRetry'))).toHaveLength(3);
      expect(retryLines.filter((line) => line.includes('Retrying'))).toHaveLength(3);
      expect(lines.filter((line) => line.includes('more retries'))).toEqual([
        '  resize ×500+               more retries: counted on the progress line, not shown one by one',
      ]);
      expect(lines.length).toBeLessThan(50);
      expect(lines.slice(-3)).toMatchInlineSnapshot(`
       [
         "  resize ×500 [####################] 500/500, 500 retried",
         "fan                          Completed      in 94ms → 500",
         "Summary: fan Completed in 94ms; task runs: 500 Completed; 500 retries",
       ]
      `);
    });

    it('should do the same in live mode', async () => {
      const tty = new FakeTTY(100, 30);
      const fan = flakyFan(200);
      await withVirtualTime(async () => {
        report({ stream: tty, fanOutThreshold: 8, time: 'none', scheduler: undefined });
        await fan();
        reporter!.stop();
      });
      const screen = tty.screen.lines;
      expect(screen.filter((line) => / AwaitingRetry /.test(line))).toHaveLength(3);
      expect(
        screen.filter((line) => line.includes('more retries: counted on the progress line')),
      ).toHaveLength(1);
      expect(
        screen.filter((line) => line.includes('resize ×200 [####################] 200/200, 200 retried')),
      ).toHaveLength(1);
    });
  });

  it('should reject bad options with a message naming the option', () => {
    const bad = (options: unknown) => () => consoleReporter(options as never);
    expect(bad({ stream: {} })).toThrowErrorMatchingInlineSnapshot(
      `"consoleReporter: expected option 'stream' to be a writable stream (an object with write), got an object"`,
    );
    expect(bad({ mode: 'tty' })).toThrowErrorMatchingInlineSnapshot(
      `"consoleReporter: expected option 'mode' to be one of auto, lines, live, got 'tty'"`,
    );
    expect(bad({ refreshMs: -1 })).toThrowErrorMatchingInlineSnapshot(
      `"consoleReporter: expected option 'refreshMs' to be a non-negative finite number, got -1"`,
    );
    expect(bad({ fanOutThreshold: 0.5 })).toThrowErrorMatchingInlineSnapshot(
      `"consoleReporter: expected option 'fanOutThreshold' to be a positive integer, got 0.5"`,
    );
    expect(bad({ time: 'utc' })).toThrowErrorMatchingInlineSnapshot(
      `"consoleReporter: expected option 'time' to be one of elapsed, clock, none, got 'utc'"`,
    );
    expect(bad({ scheduler: {} })).toThrowErrorMatchingInlineSnapshot(
      `"consoleReporter: expected option 'scheduler' to be an RxJS SchedulerLike (with now and schedule), got an object"`,
    );
    expect(bad({ color: 'auto' })).toThrowErrorMatchingInlineSnapshot(
      `"consoleReporter: expected option 'color' to be a boolean, got 'auto'"`,
    );
    expect(bad({ colour: true })).toThrowErrorMatchingInlineSnapshot(
      `"consoleReporter: unknown option 'colour' (known: stream, mode, refreshMs, scheduler, fanOutThreshold, time, results, summary, color, captureWrites, filter)"`,
    );
    expect(bad('lines')).toThrowErrorMatchingInlineSnapshot(
      `"consoleReporter: expected an options object, got 'lines'"`,
    );
  });
});

const exitListeners = process.listenerCount('exit');

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
