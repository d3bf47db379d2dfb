import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { asyncScheduler, lastValueFrom, toArray, VirtualTimeScheduler } from 'rxjs';
import { isTimeoutError } from '../../lib/errors/timeout-error';
import { currentFrame } from '../../lib/internal/context';
import { MAX_TIMER_DELAY_MS, scheduleDelay } from '../../lib/internal/schedule-delay';
import { TimerQueue } from '../../lib/internal/timer-queue';
import {
  concurrency,
  createConcurrencyLimit,
  deleteConcurrencyLimit,
  rateLimit,
  task,
  wait,
} from '../../lib/index.node';
import { sleep, VirtualScheduler, withVirtualTime } from '../../lib/testing/index.node';

const DAY = 86_400_000;
const DAYS_30 = 30 * DAY;
const now = () => currentFrame().clock.scheduler.now();

describe('scheduleDelay', () => {
  it('should call work exactly at its due time, never before, for delays up to several times 2^31-1 ms', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 0, max: 4 * MAX_TIMER_DELAY_MS + 10 }),
          fc.constantFrom(MAX_TIMER_DELAY_MS, MAX_TIMER_DELAY_MS + 1, 2 * MAX_TIMER_DELAY_MS, DAYS_30),
        ),
        fc.integer({ min: 0, max: 10 ** 12 }),
        (delay, start) => {
          const scheduler = new VirtualScheduler(start);
          const calls: number[] = [];
          scheduleDelay(scheduler, () => calls.push(scheduler.now()), delay);
          if (delay > 0) {
            scheduler.advanceTo(start + delay - 1);
            expect(calls).toEqual([]);
          }
          scheduler.advanceTo(start + delay);
          expect(calls).toEqual([start + delay]);
          expect(scheduler.pendingCount).toBe(0);
        },
      ),
    );
  });

  it('should arm nothing for an infinite delay', () => {
    const scheduler = new VirtualScheduler();
    const subscription = scheduleDelay(scheduler, () => {}, Infinity);
    expect(scheduler.pendingCount).toBe(0);
    expect(subscription.closed).toBe(false);
    subscription.unsubscribe();
  });

  it('should never call work unsubscribed between chunks, and leave nothing armed', () => {
    const scheduler = new VirtualScheduler();
    let called = false;
    const subscription = scheduleDelay(scheduler, () => (called = true), DAYS_30);
    scheduler.advanceTo(MAX_TIMER_DELAY_MS + 1); // the first chunk has run and re-armed
    expect(scheduler.pendingCount).toBe(1);
    subscription.unsubscribe();
    expect(scheduler.pendingCount).toBe(0);
    scheduler.advanceTo(2 * DAYS_30);
    expect(called).toBe(false);
  });

  it("should work on RxJS's VirtualTimeScheduler too", () => {
    const scheduler = new VirtualTimeScheduler();
    const calls: number[] = [];
    scheduleDelay(scheduler, () => calls.push(scheduler.now()), DAYS_30);
    scheduler.flush();
    expect(calls).toEqual([DAYS_30]);
  });

  it('should never hand the platform a timer above 2^31-1 ms on the real scheduler', () => {
    const setIntervalSpy = jest.spyOn(globalThis, 'setInterval');
    const setTimeoutSpy = jest.spyOn(globalThis, 'setTimeout');
    try {
      const subscriptions = [DAYS_30, 2 ** 40, MAX_TIMER_DELAY_MS + 1].map((delay) =>
        scheduleDelay(asyncScheduler, () => {}, delay),
      );
      const delays = [...setIntervalSpy.mock.calls, ...setTimeoutSpy.mock.calls].map((call) => call[1]);
      expect(delays).toEqual([MAX_TIMER_DELAY_MS, MAX_TIMER_DELAY_MS, MAX_TIMER_DELAY_MS]);
      for (const subscription of subscriptions) subscription.unsubscribe();
    } finally {
      setIntervalSpy.mockRestore();
      setTimeoutSpy.mockRestore();
    }
  });
});

describe('delays beyond 2^31-1 ms, under virtual time', () => {
  it('should wait exactly 30 days before a retry', async () => {
    let attempts = 0;
    const flaky = task({ name: 'flaky', retries: 1, retryDelaySeconds: DAYS_30 / 1000 }, () => {
      if (++attempts === 1) throw new Error('first');
      return 'ok';
    });
    const states = await withVirtualTime(() => lastValueFrom(flaky.run$().pipe(toArray())));
    expect(states.map((s) => [s.name, s.timestamp.getTime()])).toEqual([
      ['Pending', 0],
      ['Running', 0],
      ['AwaitingRetry', 0],
      ['Retrying', DAYS_30],
      ['Completed', DAYS_30],
    ]);
  });

  it('should time an attempt out exactly 30 days after it started', async () => {
    const slow = task({ name: 'slow', timeoutSeconds: DAYS_30 / 1000 }, () => sleep(31 * DAY));
    const states = await withVirtualTime(() => lastValueFrom(slow.run$().pipe(toArray())));
    expect(states.map((s) => [s.name, s.timestamp.getTime()])).toEqual([
      ['Pending', 0],
      ['Running', 0],
      ['TimedOut', DAYS_30],
    ]);
  });

  it('should make wait with timeoutSeconds: Infinity wait for the runs, and a 30-day one return at 30 days', async () => {
    const pause = task({ name: 'pause' }, (days: number) => sleep(days * DAY));
    await withVirtualTime(async () => {
      const runs = pause.map([10, 40]);
      const partial = await wait(runs, { timeoutSeconds: DAYS_30 / 1000 });
      expect(now()).toBe(DAYS_30);
      expect(partial.done).toEqual([runs[0]]);
      expect(partial.notDone).toEqual([runs[1]]);
      const all = await wait(runs, { timeoutSeconds: Infinity });
      expect(now()).toBe(40 * DAY);
      expect(all.notDone).toEqual([]);
    });
  });

  it('should time out a 30-day wait for a concurrency slot exactly at 30 days', async () => {
    await withVirtualTime(async () => {
      createConcurrencyLimit('schedule-delay-db', { limit: 1 });
      try {
        const holder = concurrency('schedule-delay-db', () => sleep(60 * DAY));
        const error = await concurrency('schedule-delay-db', () => 'never', {
          timeoutSeconds: DAYS_30 / 1000,
        }).catch((e: unknown) => e);
        expect(isTimeoutError(error)).toBe(true);
        expect(now()).toBe(DAYS_30);
        await holder;
      } finally {
        deleteConcurrencyLimit('schedule-delay-db');
      }
    });
  });

  it('should give a rate-limit slot back exactly when it has decayed, 30 days on', async () => {
    await withVirtualTime(async () => {
      createConcurrencyLimit('schedule-delay-api', { limit: 1, slotDecayPerSecond: 1000 / DAYS_30 });
      try {
        await rateLimit('schedule-delay-api');
        await rateLimit('schedule-delay-api');
        expect(now()).toBe(DAYS_30);
      } finally {
        deleteConcurrencyLimit('schedule-delay-api');
      }
    });
  });

  it('should fire a timer-queue entry 30 days out at its due time', () => {
    const scheduler = new VirtualScheduler();
    const queue = new TimerQueue(scheduler);
    const fired: number[] = [];
    queue.add(DAYS_30, () => fired.push(scheduler.now()));
    queue.add(10, () => fired.push(scheduler.now()));
    scheduler.advanceTo(DAYS_30 - 1);
    expect(fired).toEqual([10]);
    scheduler.advanceTo(DAYS_30);
    expect(fired).toEqual([10, DAYS_30]);
    scheduler.advanceTo(DAYS_30 + 1); // the queue's disarm check
    expect(scheduler.pendingCount).toBe(0);
  });
});

describe('delays beyond 2^31-1 ms, on the real clock', () => {
  // Node reports TimeoutOverflowWarning on the real `process`, which Jest hides from a test:
  // the scenarios run in a plain Node child process (see fixtures/long-delays.ts).
  it('should arm no platform timer above 2^31-1 ms, emit no TimeoutOverflowWarning, and fire nothing early', async () => {
    const fixture = path.join(__dirname, 'fixtures', 'long-delays.ts');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', fixture], {
      cwd: path.resolve(__dirname, '../..'),
      timeout: 15_000,
    });
    const clean = { warnings: [], longestTimerMs: MAX_TIMER_DELAY_MS };
    expect(JSON.parse(stdout)).toEqual({
      // The control proves both probes work.
      'control: a plain 2^32 ms timer': {
        outcome: 'armed',
        warnings: ['TimeoutOverflowWarning'],
        longestTimerMs: 2 ** 32,
      },
      'a 30-day retry delay': {
        ...clean,
        outcome: { attempts: 1, states: ['Pending', 'Running', 'AwaitingRetry'] },
      },
      'a 30-day timeout': { ...clean, outcome: 'done' },
      // No timer at all: the short one is the fixture's own pause.
      'wait with timeoutSeconds: Infinity': {
        warnings: [],
        longestTimerMs: 5,
        outcome: ['waiting', 'done 1, not done 0'],
      },
      'a 30-day wait for a concurrency slot': { ...clean, outcome: ['waiting', 'ran'] },
      'a rate limit whose slot decays back in 30 days': { ...clean, outcome: ['waiting', 'granted'] },
      'a 30-day sleep': { ...clean, outcome: ['sleeping', 'aborted'] },
    });
  }, 20_000);
});
