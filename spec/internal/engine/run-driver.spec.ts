import { CancelledError, CrashedError, isCancelledError } from '../../../lib/errors/index';
import { getRunContext } from '../../../lib/context/get-run-context';
import { currentFrame } from '../../../lib/internal/context';
import { activeRuns } from '../../../lib/internal/engine/registry';
import { RunDriver, type RunSink } from '../../../lib/internal/engine/run-driver';
import { define } from '../../../lib/internal/options';
import type { State } from '../../../lib/state/schema';

function driverFor(fn: (...args: never[]) => unknown, options: object = {}) {
  const states: State[] = [];
  const done: State[] = [];
  const sink: RunSink = { next: (s) => states.push(s), done: (s) => done.push(s) };
  const driver = new RunDriver(
    define('task', { name: 'unit', ...options }, fn),
    undefined,
    [],
    currentFrame(),
    sink,
  );
  return { driver, states, done, names: () => states.map((s) => s.name) };
}

const never = () => new Promise(() => {});

describe('RunDriver', () => {
  it('should be active from start to its last state', async () => {
    const { driver, done } = driverFor(async () => 1);
    driver.start();
    expect(activeRuns.has(driver)).toBe(true);
    await driver.whenDone();
    expect(activeRuns.has(driver)).toBe(false);
    expect(done.map((s) => s.name)).toEqual(['Completed']);
  });

  it('should wrap a cancel reason that is not a CancelledError, and abort the attempt with the reason itself', () => {
    let signal: AbortSignal | undefined;
    const { driver, states, names } = driverFor(() => {
      signal = getRunContext().signal;
      return never();
    });
    driver.start();
    const reason = new Error('parent timed out');
    driver.cancel(reason);
    expect(names()).toEqual(['Pending', 'Running', 'Cancelled']);
    const error = states[2]!.error as CancelledError;
    expect(isCancelledError(error)).toBe(true);
    expect(error.cause).toBe(reason);
    expect(error.message).toMatch(/^Task run 'unit-[0-9a-f]{3}' was cancelled$/);
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe(reason);
  });

  it('should keep a CancelledError reason as the run’s error', () => {
    const { driver, states } = driverFor(never);
    driver.start();
    const reason = new CancelledError('by the user');
    driver.cancel(reason);
    expect(states.at(-1)!.error).toBe(reason);
  });

  it('should ignore cancel and crash once the run has ended', async () => {
    const { driver, names } = driverFor(() => 1);
    driver.start();
    await driver.whenDone();
    driver.cancel();
    driver.crash(new Error('late'));
    expect(names()).toEqual(['Pending', 'Running', 'Completed']);
  });

  it('should crash with an Error as it is, and wrap anything else in a CrashedError', () => {
    const first = driverFor(never);
    first.driver.start();
    const error = new Error('engine failure');
    first.driver.crash(error);
    expect(first.names()).toEqual(['Pending', 'Running', 'Crashed']);
    expect(first.states.at(-1)!.error).toBe(error);

    const second = driverFor(never);
    second.driver.start();
    second.driver.crash('a string');
    const wrapped = second.states.at(-1)!.error as CrashedError;
    expect(wrapped).toBeInstanceOf(CrashedError);
    expect(wrapped.cause).toBe('a string');
    expect(wrapped.message).toMatchInlineSnapshot(`"Run crashed: a string"`);
  });

  it('should resolve whenDone after async hooks, and at once when already done', async () => {
    const log: string[] = [];
    const { driver, done } = driverFor(() => 1, {
      onCompletion: [
        async () => {
          await null;
          await null;
          log.push('hook');
        },
      ],
    });
    driver.start();
    await driver.whenDone();
    log.push('done');
    expect(done).toHaveLength(1);
    await driver.whenDone();
    expect(log).toEqual(['hook', 'done']);
  });

  it('should carry description and version in every RunInfo it builds, with one key set', async () => {
    const { runStates$ } = await import('../../../lib/index.node');
    const seen: { name: string; info: Record<string, unknown> }[] = [];
    const subscription = runStates$.subscribe(({ run, state }) =>
      seen.push({ name: state.name, info: run as unknown as Record<string, unknown> }),
    );
    const options = { description: 'Loads the day', version: '1.2.0', retries: 1 };
    let calls = 0;
    const retried = driverFor(() => {
      if (++calls === 1) throw new Error('first');
      return 'ok';
    }, options);
    retried.driver.start();
    await retried.driver.whenDone();
    // A run-name function that throws crashes the run from the fallback identity.
    const crashed = driverFor(() => 1, {
      ...options,
      taskRunName: () => {
        throw new Error('no name');
      },
    });
    crashed.driver.start();
    await crashed.driver.whenDone();
    const plain = driverFor(() => 1);
    plain.driver.start();
    await plain.driver.whenDone();
    subscription.unsubscribe();

    expect(seen.map((s) => s.name)).toEqual([
      ...['Pending', 'Running', 'Retrying', 'Completed'],
      ...['Pending', 'Crashed'],
      ...['Pending', 'Running', 'Completed'],
    ]);
    for (const { info } of seen.slice(0, 6)) {
      expect(info.description).toBe('Loads the day');
      expect(info.version).toBe('1.2.0');
    }
    expect(seen[6]!.info).toMatchObject({ description: undefined, version: undefined });
    // One key set (one hidden class) however the RunInfo was built.
    const keys = new Set(seen.map(({ info }) => Object.keys(info).sort().join(',')));
    expect(keys.size).toBe(1);
  });
});
