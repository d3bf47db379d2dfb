// Real worker threads (piscina). Under ts-jest the worker entry and the task modules are
// TypeScript, so the workers get tsx as their loader (execArgv); a built package needs none.
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import {
  flow,
  isNonRetriableError,
  NonRetriableError,
  task,
  type State,
  type TaskRunFuture,
} from '../../lib/index.node';
import { isWorkerTransferError, WorkerThreadTaskRunner, workerTask } from '../../lib/node/index';
import { names, recordRunStates } from '../engine/support';
import * as fixtures from './fixtures/worker-tasks';
import { triple } from './fixtures/worker-task-export';

const FIXTURES = path.join(__dirname, 'fixtures', 'worker-tasks.ts');
const runner = new WorkerThreadTaskRunner({ maxThreads: 2, execArgv: ['--import', 'tsx'] });
afterAll(() => runner.destroy());

const fib = task({ name: 'fib' }, workerTask(fixtures.fib, FIXTURES));
const whereAmI = task({ name: 'where-am-i' }, workerTask(fixtures.whereAmI, FIXTURES));
const fail = task({ name: 'fail', retries: 2 }, workerTask(fixtures.fail, FIXTURES));
const spin = task({ name: 'spin' }, workerTask(fixtures.spin, FIXTURES));
const makeCallback = task({ name: 'make-callback' }, workerTask(fixtures.makeCallback, FIXTURES));

/** Runs `body` in a flow run on the shared worker runner. */
function inWorkers<T>(body: () => Promise<T> | T): Promise<T> {
  return flow({ name: 'workers', taskRunner: runner }, body)();
}

/** The error a future's run ended with. */
async function errorOf(future: TaskRunFuture<unknown>): Promise<Error> {
  const state = await future.wait();
  return (state as State & { error: Error }).error;
}

/** Resolves once `counter` has stopped changing for a while (the worker task stopped). */
async function settles(counter: Int32Array): Promise<boolean> {
  for (let tries = 0; tries < 50; tries++) {
    const before = Atomics.load(counter, 0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (Atomics.load(counter, 0) === before) return true;
  }
  return false;
}

describe('WorkerThreadTaskRunner', () => {
  it('should run bodies in worker threads, states and hooks on the main thread', async () => {
    const recorder = recordRunStates();
    const completedOn: number[] = [];
    const hooked = fib.withOptions({ onCompletion: [() => void completedOn.push(threadId)] });
    try {
      const { values, where } = await inWorkers(async () => ({
        values: await hooked.map([10, 20, 25]).result(),
        where: await whereAmI.submit().result(),
      }));
      expect(values).toEqual([55, 6765, 75025]);
      expect(where).not.toBe(threadId);
      expect(completedOn).toEqual([threadId, threadId, threadId]);
      const fibRuns = recorder.runs().filter((r) => r.definitionName === 'fib');
      expect(fibRuns.map((r) => names(recorder.ofRun(r.id).map((e) => e.state)))).toEqual([
        ['Pending', 'Running', 'Completed'],
        ['Pending', 'Running', 'Completed'],
        ['Pending', 'Running', 'Completed'],
      ]);
      expect(runner.threads).toBeGreaterThan(0);
      expect(runner.threads).toBeLessThanOrEqual(2);
    } finally {
      recorder.stop();
    }
  });

  it('should send a self-contained function by its source, and refuse a closure clearly', async () => {
    (globalThis as { onMainThread?: boolean }).onMainThread = true;
    const square = task({ name: 'square' }, (x: number) => ({
      square: x * x,
      inWorker: (globalThis as { onMainThread?: boolean }).onMainThread === undefined,
    }));
    const factor = 3;
    const scale = task({ name: 'scale', retries: 2 }, (x: number) => x * factor);
    const recorder = recordRunStates();
    try {
      const { squared, error } = await inWorkers(async () => ({
        squared: await square.submit(4).result(),
        error: await errorOf(scale.submit(2)),
      }));
      expect(squared).toEqual({ square: 16, inWorker: true });
      expect(isWorkerTransferError(error)).toBe(true);
      expect(isNonRetriableError(error)).toBe(true);
      // No retry: it cannot succeed.
      expect(names(recorder.statesOf('scale'))).toEqual(['Pending', 'Running', 'Failed']);
      expect(error.message).toMatchInlineSnapshot(
        `"Task 'scale' cannot run in a worker thread: its function uses 'factor', which does not exist in the worker: the function was sent by its source, without the variables and imports around it. Make it self-contained, or put it in a module and register it with workerTask(fn, import.meta.url)"`,
      );
    } finally {
      recorder.stop();
      delete (globalThis as { onMainThread?: boolean }).onMainThread;
    }
  });

  it('should refuse arguments and results that cannot cross the thread boundary', async () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
      norm(): number {
        return Math.hypot(this.x, this.y);
      }
    }
    const echo = task({ name: 'echo' }, (value: unknown) => value);
    const errors = await inWorkers(async () =>
      Promise.all([
        errorOf(echo.submit({ points: [{ x: 1 }, new Point(1, 2)] })),
        errorOf(echo.submit(() => 1)),
        errorOf(makeCallback.submit()),
      ]),
    );
    expect(errors.every((e) => isWorkerTransferError(e))).toBe(true);
    expect(errors.map((e) => e.message)).toMatchInlineSnapshot(`
     [
       "Task 'echo' cannot run in a worker thread: argument 0 at .points[1] is an instance of Point: structured clone would drop its prototype and methods; pass plain data",
       "Task 'echo' cannot run in a worker thread: argument 0 is a function: functions cannot be sent to another thread",
       "Task 'make-callback' cannot run in a worker thread: its result is a function: functions cannot be sent to another thread",
     ]
    `);
  });

  it('should bring errors back with their class, message, stack, data and cause', async () => {
    const recorder = recordRunStates();
    try {
      const [typeError, nonRetriable, custom, value] = await inWorkers(() =>
        Promise.all([
          errorOf(fail.submit('type')),
          errorOf(fail.submit('non-retriable')),
          errorOf(fail.submit('custom')),
          errorOf(fail.submit('value')),
        ]),
      );
      expect(typeError).toBeInstanceOf(TypeError);
      expect(typeError.message).toBe('expected a number');
      expect(typeError.stack).toContain('worker-tasks');
      expect(nonRetriable).toBeInstanceOf(NonRetriableError);
      expect(custom).toBeInstanceOf(Error);
      expect(custom).toMatchObject({
        name: 'QuotaError',
        message: 'quota exhausted',
        code: 'QUOTA',
        remaining: 0,
      });
      expect(custom.cause).toBeInstanceOf(RangeError);
      expect(value).toEqual({ reason: 'not an error' });
      // Retries happen on the main thread: 3 attempts, except for the NonRetriableError.
      const attempts = recorder.events
        .filter((e) => e.run.definitionName === 'fail' && e.state.type === 'RUNNING')
        .map((e) => e.run.parameters.kind);
      expect(attempts.filter((k) => k === 'type')).toHaveLength(3);
      expect(attempts.filter((k) => k === 'non-retriable')).toHaveLength(1);
    } finally {
      recorder.stop();
    }
  });

  it('should stop the worker task when its run is cancelled or times out', async () => {
    const cancelled = new Int32Array(new SharedArrayBuffer(4));
    const timedOut = new Int32Array(new SharedArrayBuffer(4));
    const spinBriefly = spin.withOptions({ name: 'spin-briefly', timeoutSeconds: 0.3 });
    const {
      states: [cancelledState, timedOutState],
    } = await inWorkers(async () => {
      const future = spin.submit(cancelled);
      while (Atomics.load(cancelled, 0) === 0 && !future.done) await new Promise((r) => setTimeout(r, 5));
      future.cancel();
      // Wrapped: a flow returning a list of states fails unless they all completed.
      return { states: await Promise.all([future.wait(), spinBriefly.submit(timedOut).wait()]) };
    });
    expect(cancelledState.name).toBe('Cancelled');
    expect(timedOutState.name).toBe('TimedOut');
    expect(await settles(cancelled)).toBe(true);
    expect(await settles(timedOut)).toBe(true);
    // The pool replaced the stopped threads: it still runs tasks.
    expect(await inWorkers(() => fib.submit(10).result())).toBe(55);
  });

  it('should load a task a module exports, and report a missing export', async () => {
    const missing = task(
      { name: 'missing' },
      workerTask(() => 1, FIXTURES, { exportName: 'nope' }),
    );
    const [tripled, error] = await inWorkers(async () =>
      Promise.all([triple.map([1, 2]).result(), errorOf(missing.submit())]),
    );
    expect(tripled).toEqual([3, 6]);
    expect(isWorkerTransferError(error)).toBe(true);
    expect(error.message.replace(FIXTURES, '<fixtures>')).toMatchInlineSnapshot(
      `"Task 'missing' cannot run in a worker thread: its module file://<fixtures> has no function exported as 'nope' (its function exports: fail, fib, makeCallback, spin, whereAmI)"`,
    );
  });

  it('should validate its options and workerTask arguments, and start again after destroy', async () => {
    expect(() => new WorkerThreadTaskRunner({ maxThreads: 0 })).toThrowErrorMatchingInlineSnapshot(
      `"WorkerThreadTaskRunner: expected maxThreads to be a positive integer, got 0"`,
    );
    expect(() => new WorkerThreadTaskRunner({ maxThreads: 2, minThreads: 3 })).toThrow(/minThreads/);
    expect(() => workerTask(() => 1, FIXTURES)).toThrowErrorMatchingInlineSnapshot(
      `"workerTask: the function has no name to look its export up by; pass { exportName }"`,
    );
    expect(() => workerTask(fixtures.fib, './relative.js')).toThrow(/file URL or an absolute path/);
    await runner.destroy();
    expect(runner.threads).toBe(0);
    expect(await inWorkers(() => fib.submit(12).result())).toBe(144);
    expect(runner.threads).toBeGreaterThan(0);
  });
});
