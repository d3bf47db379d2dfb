import { firstValueFrom } from 'rxjs';
import {
  CancelledError,
  flow,
  getRunContext,
  isCancelledError,
  isTimeoutError,
  NonRetriableError,
  task,
  TimeoutError,
  type State,
} from '../../lib/index.node';
import {
  collect,
  deferred,
  expectValidSequence,
  names,
  outcome,
  recordRunStates,
  sleep,
  withVirtualTime,
} from '../engine/support';

describe('task', () => {
  describe('states', () => {
    it('should go Pending → Running → Completed on success', async () => {
      const double = task({ name: 'double' }, async (x: number) => x * 2);
      const states = await collect(double.run$(21));
      expect(names(states)).toEqual(['Pending', 'Running', 'Completed']);
      expect(states.map((s) => s.type)).toEqual(['PENDING', 'RUNNING', 'COMPLETED']);
      expect(states[2]!.data).toBe(42);
      expectValidSequence(states);
    });

    it('should schedule a retry after a failure with a delay: AwaitingRetry at now + delay, then Retrying', async () => {
      let calls = 0;
      const flakyOnce = task({ retries: 1, retryDelaySeconds: 30 }, async () => {
        if (++calls === 1) throw new Error('first attempt fails');
        return 'ok';
      });
      const states = await withVirtualTime(() => collect(flakyOnce.run$()), { start: 1_000 });
      expect(names(states)).toEqual(['Pending', 'Running', 'AwaitingRetry', 'Retrying', 'Completed']);
      const [, running, awaiting, retrying, completed] = states as [State, State, State, State, State];
      expect(awaiting.type).toBe('SCHEDULED');
      expect(awaiting.timestamp.getTime()).toBe(1_000);
      expect(awaiting.details?.scheduledTime?.getTime()).toBe(1_000 + 30_000);
      expect(retrying.type).toBe('RUNNING');
      expect(retrying.timestamp.getTime()).toBe(31_000);
      expect(retrying.details?.runCount).toBe(2);
      expect(running.timestamp.getTime()).toBe(1_000);
      expect(completed.data).toBe('ok');
      expectValidSequence(states);
    });

    it('should skip AwaitingRetry when the retry delay is zero', async () => {
      let calls = 0;
      const flakyOnce = task({ retries: 1 }, () => {
        if (++calls === 1) throw new Error('first attempt fails');
        return 'ok';
      });
      const states = await collect(flakyOnce.run$());
      expect(names(states)).toEqual(['Pending', 'Running', 'Retrying', 'Completed']);
      expectValidSequence(states);
    });

    it('should end Failed with the last error once retries are exhausted', async () => {
      let calls = 0;
      const alwaysFails = task({ retries: 2, retryDelaySeconds: [1, 5] }, async () => {
        throw new Error(`attempt ${++calls}`);
      });
      const states = await withVirtualTime(() => collect(alwaysFails.run$()));
      expect(names(states)).toEqual([
        'Pending',
        'Running',
        'AwaitingRetry',
        'Retrying',
        'AwaitingRetry',
        'Retrying',
        'Failed',
      ]);
      expect(states.map((s) => s.timestamp.getTime())).toEqual([0, 0, 0, 1000, 1000, 6000, 6000]);
      const failed = states[6]!;
      expect(failed.type).toBe('FAILED');
      expect((failed.error as Error).message).toBe('attempt 3');
      expect(failed.message).toMatchInlineSnapshot(`"Error: attempt 3"`);
      expect(calls).toBe(3);
      expectValidSequence(states);
    });

    it('should end TimedOut (FAILED) when an attempt outlives timeoutSeconds', async () => {
      const slow = task({ name: 'slow', timeoutSeconds: 2 }, async () => {
        await sleep(10_000, getRunContext().signal);
        return 'late';
      });
      const states = await withVirtualTime(() => collect(slow.run$()));
      expect(names(states)).toEqual(['Pending', 'Running', 'TimedOut']);
      const timedOut = states[2]!;
      expect(timedOut.type).toBe('FAILED');
      expect(timedOut.timestamp.getTime()).toBe(2_000);
      expect(isTimeoutError(timedOut.error)).toBe(true);
      expect(timedOut.message).toMatch(/^Task 'slow' exceeded its timeout of 2s$/);
      expectValidSequence(states);
    });

    it('should retry a timed-out attempt like any other failure', async () => {
      let calls = 0;
      const slowOnce = task({ timeoutSeconds: 1, retries: 1, retryDelaySeconds: 10 }, async () => {
        if (++calls === 1) await sleep(5_000, getRunContext().signal);
        return calls;
      });
      const states = await withVirtualTime(() => collect(slowOnce.run$()));
      expect(names(states)).toEqual(['Pending', 'Running', 'AwaitingRetry', 'Retrying', 'Completed']);
      expect(states[2]!.details?.scheduledTime?.getTime()).toBe(11_000);
      expect(states[4]!.data).toBe(2);
      expectValidSequence(states);
    });

    it('should make every state frozen, plain data that parses with StateSchema', async () => {
      const fails = task({ retries: 1, retryDelaySeconds: 1 }, async () => {
        throw new Error('no');
      });
      const states = await withVirtualTime(() => collect(fails.run$()));
      expectValidSequence(states);
      for (const state of states) {
        expect(Object.getPrototypeOf(state)).toBe(Object.prototype);
        expect(state.timestamp).toBeInstanceOf(Date);
        if (state.details !== undefined) expect(Object.isFrozen(state.details)).toBe(true);
        expect(() => {
          (state as { name: string }).name = 'Hacked';
        }).toThrow(TypeError);
      }
    });

    it('should not retry a NonRetriableError', async () => {
      let calls = 0;
      const gone = task({ retries: 5 }, async () => {
        calls++;
        throw new NonRetriableError('404: gone for good');
      });
      const states = await collect(gone.run$());
      expect(names(states)).toEqual(['Pending', 'Running', 'Failed']);
      expect(calls).toBe(1);
    });

    it('should stop retrying when retryConditionFn returns false, and give it the failed state', async () => {
      const seen: [string, number, string, unknown][] = [];
      let calls = 0;
      const picky = task(
        {
          name: 'picky',
          retries: 5,
          retryConditionFn: async (t, run, state) => {
            seen.push([t.name, run.runCount, state.name, (state.error as Error).message]);
            return (state.error as Error).message !== 'fatal';
          },
        },
        async () => {
          calls++;
          throw new Error(calls === 2 ? 'fatal' : 'transient');
        },
      );
      const states = await collect(picky.run$());
      expect(names(states)).toEqual(['Pending', 'Running', 'Retrying', 'Failed']);
      expect(calls).toBe(2);
      expect(seen).toEqual([
        ['picky', 1, 'Failed', 'transient'],
        ['picky', 2, 'Failed', 'fatal'],
      ]);
    });
  });

  describe('calling', () => {
    it('should resolve to the result, sync or async', async () => {
      await expect(task((a: number, b: number) => a + b)(1, 2)).resolves.toBe(3);
      await expect(task(async (a: number) => a * 10)(4)).resolves.toBe(40);
    });

    it.each([
      ['an Error', new Error('boom')],
      ['a string', 'just a string'],
      ['undefined', undefined],
      ['null', null],
      ['a plain object', { code: 42, reason: 'teapot' }],
      ['a number', 7],
    ])('should reject with the original value when the body throws %s', async (_label, thrown) => {
      const asyncThrow = task(async () => {
        throw thrown;
      });
      const syncThrow = task(() => {
        throw thrown;
      });
      for (const t of [asyncThrow, syncThrow]) {
        const result = await outcome(t());
        expect(result).toEqual({ ok: false, error: thrown });
        if (!result.ok) expect(result.error).toBe(thrown);
        const states = await collect(t.run$());
        expect(names(states)).toEqual(['Pending', 'Running', 'Failed']);
        expect(states[2]!.error).toBe(thrown);
      }
    });

    it('should follow a thenable the body returns, resolved or rejected', async () => {
      const good = task(() => ({ then: (ok: (v: number) => void) => ok(5) }));
      await expect(good()).resolves.toBe(5);
      const reason = { why: 'thenable said no' };
      const bad = task(() => ({ then: (_ok: unknown, no: (e: unknown) => void) => no(reason) }));
      const result = await outcome(bad());
      expect(result).toEqual({ ok: false, error: reason });
      if (!result.ok) expect(result.error).toBe(reason);
    });

    it('should reject with a NonRetriableError at once', async () => {
      let calls = 0;
      const error = new NonRetriableError('stop');
      const t = task({ retries: 3 }, () => {
        calls++;
        throw error;
      });
      await expect(t()).rejects.toBe(error);
      expect(calls).toBe(1);
    });

    it('should reject with a TimeoutError and abort the signal with it as reason', async () => {
      let signal: AbortSignal | undefined;
      const slow = task({ name: 'slow', timeoutSeconds: 1.5 }, async () => {
        signal = getRunContext().signal;
        await sleep(60_000, signal);
      });
      const result = await withVirtualTime(() => outcome(slow()));
      expect(result.ok).toBe(false);
      const error = (result as { error: unknown }).error;
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as TimeoutError).timeoutSeconds).toBe(1.5);
      expect((error as Error).message).toMatch(/^Task 'slow' timed out after 1.5 seconds$/);
      expect(signal?.aborted).toBe(true);
      expect(signal?.reason).toBe(error);
    });

    it('should cancel the runs a task started when that task times out', async () => {
      let innerSignal: AbortSignal | undefined;
      const inner = task({ name: 'inner-of-slow' }, async () => {
        innerSignal = getRunContext().signal;
        await sleep(60_000, innerSignal);
      });
      const outer = task({ name: 'outer-slow', timeoutSeconds: 1 }, () => inner());
      const recorder = recordRunStates();
      const result = await withVirtualTime(() => outcome(outer()));
      recorder.stop();
      expect(isTimeoutError((result as { error: unknown }).error)).toBe(true);
      expect(innerSignal?.aborted).toBe(true);
      expect(names(recorder.statesOf('inner-of-slow'))).toEqual(['Pending', 'Running', 'Cancelled']);
    });

    it('should reject a task called inside a flow with a CancelledError when the flow run$ is unsubscribed', async () => {
      const started = deferred();
      let signal: AbortSignal | undefined;
      let taskCall: Promise<unknown> | undefined;
      const inner = task({ name: 'inner' }, async () => {
        signal = getRunContext().signal;
        started.resolve();
        await new Promise((resolve) => signal!.addEventListener('abort', resolve));
        return 'finished anyway';
      });
      const outer = flow({ name: 'outer' }, async () => {
        taskCall = inner();
        return taskCall;
      });
      const recorder = recordRunStates();
      const subscription = outer.run$().subscribe();
      await started.promise;
      subscription.unsubscribe();
      const result = await outcome(taskCall!);
      recorder.stop();
      expect(result.ok).toBe(false);
      expect(isCancelledError((result as { error: unknown }).error)).toBe(true);
      expect(signal?.aborted).toBe(true);
      expect(isCancelledError(signal?.reason)).toBe(true);
      expect(names(recorder.statesOf('inner'))).toEqual(['Pending', 'Running', 'Cancelled']);
      expect(names(recorder.statesOf('outer'))).toEqual(['Pending', 'Running', 'Cancelled']);
    });
  });

  describe('run$', () => {
    it('should be cold: each subscription is a new run with its own id', async () => {
      let calls = 0;
      const t = task({ name: 'cold' }, () => ++calls);
      const recorder = recordRunStates();
      const states$ = t.run$();
      expect(calls).toBe(0);
      const first = await collect(states$);
      const second = await collect(states$);
      recorder.stop();
      expect(calls).toBe(2);
      expect(first[2]!.data).toBe(1);
      expect(second[2]!.data).toBe(2);
      const runs = recorder.runs();
      expect(runs).toHaveLength(2);
      expect(runs[0]!.id).not.toBe(runs[1]!.id);
    });

    it('should emit every state in order, then complete', async () => {
      const seen: string[] = [];
      let calls = 0;
      const t = task({ retries: 1 }, () => {
        if (++calls === 1) throw new Error('x');
        return 1;
      });
      await new Promise<void>((resolve, reject) =>
        t.run$().subscribe({
          next: (s) => seen.push(s.name),
          error: reject,
          complete: () => {
            seen.push('complete');
            resolve();
          },
        }),
      );
      expect(seen).toEqual(['Pending', 'Running', 'Retrying', 'Completed', 'complete']);
    });

    it('should cancel the run when unsubscribed before a final state: signal fires, run ends Cancelled', async () => {
      const started = deferred();
      let signal: AbortSignal | undefined;
      const t = task({ name: 'cancel-me' }, async () => {
        signal = getRunContext().signal;
        started.resolve();
        await new Promise((resolve) => signal!.addEventListener('abort', resolve));
      });
      const recorder = recordRunStates();
      const seen: string[] = [];
      const subscription = t.run$().subscribe((s) => seen.push(s.name));
      await started.promise;
      subscription.unsubscribe();
      recorder.stop();
      expect(seen).toEqual(['Pending', 'Running']);
      expect(signal?.aborted).toBe(true);
      expect(isCancelledError(signal?.reason)).toBe(true);
      const states = recorder.statesOf('cancel-me');
      expect(names(states)).toEqual(['Pending', 'Running', 'Cancelled']);
      expect(states[2]!.error).toBeInstanceOf(CancelledError);
      expect(states[2]!.message).toMatch(
        /^Task run 'cancel-me-[0-9a-f]{3}' was cancelled: its run\$ subscriber unsubscribed$/,
      );
      expectValidSequence(states);
    });

    it('should not start the body when the subscriber leaves at Pending (firstValueFrom)', async () => {
      let calls = 0;
      const t = task({ name: 'left-at-pending' }, () => ++calls);
      const recorder = recordRunStates();
      const first = await firstValueFrom(t.run$());
      await new Promise((resolve) => setImmediate(resolve));
      recorder.stop();
      expect(first.name).toBe('Pending');
      expect(calls).toBe(0);
      expect(names(recorder.statesOf('left-at-pending'))).toEqual(['Pending', 'Cancelled']);
    });

    it('should cancel a run waiting for a retry: the retry never happens', async () => {
      let calls = 0;
      const t = task({ name: 'waiting', retries: 3, retryDelaySeconds: 3600 }, async () => {
        calls++;
        throw new Error('fail');
      });
      const recorder = recordRunStates();
      const states = await withVirtualTime(async () => {
        const seen: State[] = [];
        const subscription = t.run$().subscribe((s) => seen.push(s));
        await sleep(1);
        subscription.unsubscribe();
        await sleep(10 * 3_600_000);
        return seen;
      });
      recorder.stop();
      expect(calls).toBe(1);
      expect(names(states)).toEqual(['Pending', 'Running', 'AwaitingRetry']);
      expect(names(recorder.statesOf('waiting'))).toEqual([
        'Pending',
        'Running',
        'AwaitingRetry',
        'Cancelled',
      ]);
    });
  });

  describe('members', () => {
    it('should expose name, fn and options read-only', () => {
      async function fetchUser(id: string): Promise<string> {
        return id;
      }
      const named = task(fetchUser);
      expect(named.name).toBe('fetchUser');
      expect(named.fn).toBe(fetchUser);
      expect(named.options).toEqual({});
      expect(task(() => 1).name).toBe('task');
      const withName = task({ name: 'explicit', retries: 2 }, fetchUser);
      expect(withName.name).toBe('explicit');
      expect(withName.options).toEqual({ name: 'explicit', retries: 2 });
      expect(Object.isFrozen(withName.options)).toBe(true);
    });

    it('should call fn without the engine', async () => {
      const recorder = recordRunStates();
      const t = task({ name: 'plain' }, (x: number) => x + 1);
      expect(t.fn(1)).toBe(2);
      recorder.stop();
      expect(recorder.events).toHaveLength(0);
    });

    it('should make withOptions a new task with merged options and leave the original unchanged', async () => {
      let calls = 0;
      const original = task({ name: 'orig', retries: 0, tags: ['a'] }, async () => {
        calls++;
        throw new Error('always');
      });
      const patient = original.withOptions({ retries: 2 });
      expect(patient).not.toBe(original);
      expect(patient.name).toBe('orig');
      expect(patient.options).toEqual({ name: 'orig', retries: 2, tags: ['a'] });
      expect(original.options).toEqual({ name: 'orig', retries: 0, tags: ['a'] });
      await expect(patient()).rejects.toThrow('always');
      expect(calls).toBe(3);
      calls = 0;
      await expect(original()).rejects.toThrow('always');
      expect(calls).toBe(1);
      expect(original.withOptions({ name: 'renamed' }).name).toBe('renamed');
    });
  });
});
