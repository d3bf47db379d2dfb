import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import * as path from 'node:path';
import {
  ConcurrentTaskRunner,
  CrashedError,
  flow,
  getRunContext,
  isCrashedError,
  task,
  type State,
} from '../../lib/index.node';
import { installShutdownHandler } from '../../lib/node/index';
import { deferred, names, outcome, recordRunStates } from '../engine/support';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURE = path.join(__dirname, 'fixtures', 'shutdown-child.ts');

describe('installShutdownHandler', () => {
  it('should crash every active run on the signal, run onCrashed hooks, and leave finished runs alone', async () => {
    const uninstall = installShutdownHandler({ signals: ['SIGUSR2'], exit: false });
    const recorder = recordRunStates();
    try {
      const started = deferred();
      const crashedHook: string[] = [];
      const hanging = task({ name: 'hanging' }, async () => {
        const { signal } = getRunContext();
        started.resolve();
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
      });
      const worker = flow({ name: 'worker' }, async () => {
        await hanging();
      }).onCrashed(async (_f, run, state: State) => {
        await Promise.resolve();
        crashedHook.push(`${run.definitionName}:${state.name}`);
      });
      await task({ name: 'finished-before' }, () => 1)();

      const call = outcome(worker());
      await started.promise;
      process.emit('SIGUSR2' as never, 'SIGUSR2' as never);
      const result = await call;

      expect(result.ok).toBe(false);
      const error = (result as { error: unknown }).error;
      expect(isCrashedError(error)).toBe(true);
      expect((error as Error).message).toMatchInlineSnapshot(
        `"Process received SIGUSR2 while the run was active"`,
      );
      expect(crashedHook).toEqual(['worker:Crashed']);
      expect(names(recorder.statesOf('worker'))).toEqual(['Pending', 'Running', 'Crashed']);
      expect(names(recorder.statesOf('hanging'))).toEqual(['Pending', 'Running', 'Crashed']);
      expect(names(recorder.statesOf('finished-before'))).toEqual(['Pending', 'Running', 'Completed']);
      expect(recorder.statesOf('hanging')[2]!.error).toBeInstanceOf(CrashedError);
    } finally {
      recorder.stop();
      uninstall();
    }
  });

  it('should crash runs queued for a runner slot too (built on the signal), not only running ones', async () => {
    const uninstall = installShutdownHandler({ signals: ['SIGUSR2'], exit: false });
    try {
      const started = deferred();
      const hanging = task({ name: 'hanging-queued' }, async () => {
        const { signal } = getRunContext();
        started.resolve();
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
      });
      let ends: Promise<State[]> | undefined;
      // No runStates$ listener here: the queued run is deferred (built when it starts).
      const fan = flow(
        { name: 'fan', taskRunner: new ConcurrentTaskRunner({ maxConcurrency: 1 }) },
        async () => {
          const futures = [hanging.submit(), hanging.submit()];
          ends = Promise.all(futures.map((f) => f.wait()));
          await ends;
        },
      );
      const call = outcome(fan());
      await started.promise;
      process.emit('SIGUSR2' as never, 'SIGUSR2' as never);
      await call;
      expect(names(await ends!)).toEqual(['Crashed', 'Crashed']);
    } finally {
      uninstall();
    }
  });

  it('should refuse a negative or NaN graceMs at install, naming it', () => {
    for (const graceMs of [-1, NaN, '5' as unknown as number])
      expect(() => installShutdownHandler({ signals: ['SIGUSR2'], graceMs })).toThrow(
        /installShutdownHandler: expected graceMs to be a non-negative number of milliseconds, got/,
      );
  });

  it.each([[2 ** 31 + 1000], [Infinity]])(
    'should wait for hooks past a graceMs of %d instead of exiting after 1 ms',
    async (graceMs) => {
      const exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
      const timers = jest.spyOn(global, 'setTimeout');
      const uninstall = installShutdownHandler({ signals: ['SIGUSR2'], graceMs });
      try {
        const started = deferred();
        const hookMayEnd = deferred();
        const stuck = flow({ name: 'stuck' }, async () => {
          started.resolve();
          await new Promise((resolve) => getRunContext().signal.addEventListener('abort', resolve));
        }).onCrashed(() => hookMayEnd.promise);
        const call = outcome(stuck());
        await started.promise;
        process.emit('SIGUSR2' as never, 'SIGUSR2' as never);
        await new Promise((resolve) => setTimeout(resolve, 30));
        expect(exit).not.toHaveBeenCalled();
        for (const [, delay] of timers.mock.calls) expect(delay ?? 0).toBeLessThanOrEqual(2 ** 31 - 1);
        hookMayEnd.resolve();
        expect(await call).toEqual({ ok: false, error: expect.any(CrashedError) });
        await new Promise((resolve) => setImmediate(resolve));
        expect(exit).toHaveBeenCalledWith(128 + constants.signals.SIGUSR2);
      } finally {
        uninstall();
        timers.mockRestore();
        exit.mockRestore();
      }
    },
  );

  it('should remove its listeners when uninstalled', () => {
    const before = process.listenerCount('SIGUSR2');
    const uninstall = installShutdownHandler({ signals: ['SIGUSR2'], exit: false });
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    uninstall();
    expect(process.listenerCount('SIGUSR2')).toBe(before);
  });

  it('should end a real process’s runs CRASHED on SIGTERM, run onCrashed, then exit with 143', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const ready = deferred();
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('ready\n')) ready.resolve();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    const early = exited.then(() => {
      throw new Error(`the child exited before it was ready:\n${stdout}\n${stderr}`);
    });
    try {
      await Promise.race([ready.promise, early]);
      child.kill('SIGTERM');
      const { code, signal } = await exited;
      expect({ code, signal, stderr }).toEqual({ code: 143, signal: null, stderr: '' });
      expect(stdout.trim().split('\n')).toEqual([
        'ready',
        'state task forever Crashed',
        'state flow long-flow Crashed',
        'onCrashed long-flow Crashed: Process received SIGTERM while the run was active',
        'call rejected: CrashedError',
      ]);
    } finally {
      early.catch(() => undefined);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 15_000);
});
