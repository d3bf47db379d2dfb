import { lastValueFrom } from 'rxjs';
import { z } from 'zod';
import {
  flow,
  getRunContext,
  isCancelledError,
  isParameterValidationError,
  isTimeoutError,
  ParameterValidationError,
  task,
  type FlowHook,
  type State,
} from '../../lib/index.node';
import {
  captureReports,
  collect,
  deferred,
  expectValidSequence,
  names,
  outcome,
  recordRunStates,
  sleep,
  withVirtualTime,
} from '../engine/support';

describe('flow', () => {
  describe('calling and states', () => {
    it('should resolve to the body result and go Pending → Running → Completed', async () => {
      const add = task((a: number, b: number) => a + b);
      const etl = flow({ name: 'etl' }, async (n: number) => (await add(n, 1)) * 2);
      await expect(etl(4)).resolves.toBe(10);
      const states = await collect(etl.run$(1));
      expect(names(states)).toEqual(['Pending', 'Running', 'Completed']);
      expect(states[2]!.data).toBe(4);
      expectValidSequence(states);
    });

    it('should reject with what the body throws and end Failed', async () => {
      const thrown = { reason: 'not an Error' };
      const broken = flow(async () => {
        throw thrown;
      });
      const result = await outcome(broken());
      expect(result.ok).toBe(false);
      expect((result as { error: unknown }).error).toBe(thrown);
      expect(names(await collect(broken.run$()))).toEqual(['Pending', 'Running', 'Failed']);
    });

    it('should fail when the body returns a Failed state, with that state’s error', async () => {
      const error = new Error('child failed');
      const child = task({ name: 'child' }, () => {
        throw error;
      });
      const parent = flow({ name: 'parent' }, async () => lastValueFrom(child.run$()));
      const states = await collect(parent.run$());
      expect(names(states)).toEqual(['Pending', 'Running', 'Failed']);
      expect(states[2]!.error).toBe(error);
      await expect(parent()).rejects.toBe(error);
    });

    it('should resolve to the data of a Completed state the body returns', async () => {
      const child = task(() => 'payload');
      const parent = flow(async () => lastValueFrom(child.run$()));
      await expect(parent()).resolves.toBe('payload');
    });

    it('should re-run the body on retries', async () => {
      let calls = 0;
      const shaky = flow({ name: 'shaky', retries: 2, retryDelaySeconds: 60 }, async () => {
        calls++;
        if (calls < 3) throw new Error(`attempt ${calls}`);
        return getRunContext().flowRun?.runCount;
      });
      const states = await withVirtualTime(() => collect(shaky.run$()));
      expect(calls).toBe(3);
      expect(names(states)).toEqual([
        'Pending',
        'Running',
        'AwaitingRetry',
        'Retrying',
        'AwaitingRetry',
        'Retrying',
        'Completed',
      ]);
      expect(states[6]!.data).toBe(3);
      expect(states[2]!.details?.scheduledTime?.getTime()).toBe(60_000);
      expectValidSequence(states);
    });

    it('should link a task run of each flow attempt to the flow run', async () => {
      const recorder = recordRunStates();
      let calls = 0;
      const step = task({ name: 'step' }, () => getRunContext().taskRun?.parentRunId);
      const shaky = flow({ name: 'shaky-links', retries: 1 }, async () => {
        await step();
        if (++calls === 1) throw new Error('first attempt');
      });
      await shaky();
      recorder.stop();
      const flowRun = recorder.runs().find((r) => r.definitionName === 'shaky-links')!;
      const steps = recorder.runs().filter((r) => r.definitionName === 'step');
      expect(steps).toHaveLength(2);
      for (const s of steps) expect(s.flowRunId).toBe(flowRun.id);
    });
  });

  describe('parameters schema', () => {
    const schema = z.object({ n: z.number().int().default(3), label: z.string().default('x') });

    it('should parse the argument, apply defaults, and record the parsed object as parameters', async () => {
      let seen: unknown;
      const typed = flow({ name: 'typed', parameters: schema }, async ({ n, label }) => {
        seen = getRunContext().parameters;
        return `${label}${n * 2}`;
      });
      await expect(typed({})).resolves.toBe('x6');
      expect(seen).toEqual({ n: 3, label: 'x' });
      await expect(typed({ n: 5, label: 'y' })).resolves.toBe('y10');
      expect(seen).toEqual({ n: 5, label: 'y' });
    });

    it('should end Pending → Failed before the body runs and reject with a ParameterValidationError listing every issue', async () => {
      let ran = false;
      const typed = flow({ name: 'typed', parameters: schema }, async () => {
        ran = true;
      });
      const recorder = recordRunStates();
      const result = await outcome(typed({ n: 1.5, label: 7 } as never));
      recorder.stop();
      expect(ran).toBe(false);
      expect(result.ok).toBe(false);
      const error = (result as { error: unknown }).error as ParameterValidationError;
      expect(isParameterValidationError(error)).toBe(true);
      expect(error.issues.map((i) => i.path.join('.'))).toEqual(['n', 'label']);
      expect(error.message).toMatchInlineSnapshot(`
       "Invalid parameters for flow 'typed':
         - n: Invalid input: expected int, received number
         - label: Invalid input: expected string, received number"
      `);
      const states = recorder.statesOf('typed');
      expect(names(states)).toEqual(['Pending', 'Failed']);
      expect(states[1]!.error).toBe(error);
      expectValidSequence(states);
    });

    it('should fire onFailure for a parameter validation failure', async () => {
      const failures: string[] = [];
      const typed = flow(
        {
          name: 'typed',
          parameters: schema,
          onFailure: [(_f, _run, state) => void failures.push(state.name)],
        },
        async () => undefined,
      );
      await typed({ n: 'three' } as never).catch(() => undefined);
      expect(failures).toEqual(['Failed']);
    });

    it('should record the argument unparsed with validateParameters: false', async () => {
      let received: unknown;
      let parameters: unknown;
      const raw = flow({ parameters: schema, validateParameters: false }, async (input) => {
        received = input;
        parameters = getRunContext().parameters;
      });
      await raw({ n: 'not a number' } as never);
      expect(received).toEqual({ n: 'not a number' });
      expect(parameters).toEqual({ n: 'not a number' });
    });
  });

  describe('timeout', () => {
    it('should end TimedOut, abort running children, and cancel tasks called afterwards without running them', async () => {
      let childSignal: AbortSignal | undefined;
      let lateRan = false;
      const afterTimeout = deferred<{ ok: boolean; error?: unknown }>();
      const slowChild = task({ name: 'slow-child' }, async () => {
        childSignal = getRunContext().signal;
        await sleep(10_000, childSignal);
      });
      const late = task({ name: 'late' }, () => {
        lateRan = true;
      });
      const lateFlow = flow({ name: 'late-subflow' }, () => {
        lateRan = true;
      });
      const bounded = flow({ name: 'bounded', timeoutSeconds: 5 }, async () => {
        await slowChild().catch(() => undefined);
        const lateTask = await outcome(late());
        const lateSub = await outcome(lateFlow());
        afterTimeout.resolve({
          ok: lateTask.ok && lateSub.ok,
          error: (lateTask as { error?: unknown }).error,
        });
        return 'too late';
      });
      const recorder = recordRunStates();
      const result = await withVirtualTime(async () => {
        const call = outcome(bounded());
        return { call: await call, late: await afterTimeout.promise };
      });
      recorder.stop();

      expect(result.call.ok).toBe(false);
      const timeout = (result.call as { error: unknown }).error;
      expect(isTimeoutError(timeout)).toBe(true);
      expect((timeout as Error).message).toMatch(/^Flow 'bounded' timed out after 5 seconds$/);

      const flowStates = recorder.statesOf('bounded');
      expect(names(flowStates)).toEqual(['Pending', 'Running', 'TimedOut']);
      expect(flowStates[2]!.timestamp.getTime()).toBe(5_000);

      expect(childSignal?.aborted).toBe(true);
      expect(childSignal?.reason).toBe(timeout);
      const childStates = recorder.statesOf('slow-child');
      expect(names(childStates)).toEqual(['Pending', 'Running', 'Cancelled']);
      expect(childStates[2]!.timestamp.getTime()).toBe(5_000);

      expect(lateRan).toBe(false);
      expect(result.late.ok).toBe(false);
      expect(isCancelledError(result.late.error)).toBe(true);
      expect(names(recorder.statesOf('late'))).toEqual(['Pending', 'Cancelled']);
      expect(names(recorder.statesOf('late-subflow'))).toEqual(['Pending', 'Cancelled']);
      for (const name of ['bounded', 'slow-child', 'late', 'late-subflow'])
        expectValidSequence(recorder.statesOf(name));
    });

    it('should retry a timed-out flow attempt, and cancel tasks the timed-out attempt calls later', async () => {
      let attempts = 0;
      const lateStates: string[] = [];
      const lateDone = deferred();
      const late = task({ name: 'late-in-attempt' }, () => 'ran');
      const bounded = flow({ name: 'bounded-retry', timeoutSeconds: 1, retries: 1 }, async () => {
        const attempt = ++attempts;
        if (attempt === 1) {
          await sleep(3_000);
          lateStates.push(...names(await collect(late.run$())));
          lateDone.resolve();
          return 'first';
        }
        return 'second';
      });
      const states = await withVirtualTime(async () => {
        const s = await collect(bounded.run$());
        await lateDone.promise;
        return s;
      });
      expect(names(states)).toEqual(['Pending', 'Running', 'Retrying', 'Completed']);
      expect(states[3]!.data).toBe('second');
      expect(lateStates).toEqual(['Pending', 'Cancelled']);
    });
  });

  describe('run$', () => {
    it('should cancel the flow run and every run inside it when unsubscribed', async () => {
      const started = deferred();
      const signals: AbortSignal[] = [];
      const leaf = task({ name: 'leaf' }, async () => {
        const { signal } = getRunContext();
        signals.push(signal);
        started.resolve();
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
      });
      const sub = flow({ name: 'sub' }, async () => {
        signals.push(getRunContext().signal);
        await leaf();
      });
      const top = flow({ name: 'top' }, async () => {
        signals.push(getRunContext().signal);
        await sub();
      });
      const recorder = recordRunStates();
      const subscription = top.run$().subscribe();
      await started.promise;
      subscription.unsubscribe();
      await new Promise((resolve) => setImmediate(resolve));
      recorder.stop();
      expect(signals).toHaveLength(3);
      for (const signal of signals) expect(signal.aborted).toBe(true);
      for (const name of ['top', 'sub', 'leaf']) {
        expect(names(recorder.statesOf(name))).toEqual(['Pending', 'Running', 'Cancelled']);
      }
    });
  });

  describe('hooks', () => {
    it('should fire onRunning and onCompletion once each with the flow, its run and the state', async () => {
      const calls: string[] = [];
      const hook: FlowHook<any, any> = (f, run, state) =>
        void calls.push(`${f.name}:${run.kind}:${state.name}`);
      const f = flow({ name: 'hooked', onRunning: [hook], onCompletion: [hook], onFailure: [hook] }, () => 1);
      await f();
      expect(calls).toEqual(['hooked:flow:Running', 'hooked:flow:Completed']);
    });

    it('should fire onCancellation once when its run$ subscriber unsubscribes', async () => {
      const log: string[] = [];
      const started = deferred();
      const f = flow(
        {
          name: 'cancellable',
          onCancellation: [
            async (_f, _run, state) => {
              await Promise.resolve();
              log.push(`onCancellation:${state.name}`);
            },
          ],
          onFailure: [() => void log.push('onFailure')],
        },
        async () => {
          started.resolve();
          await new Promise((resolve) => getRunContext().signal.addEventListener('abort', resolve));
        },
      );
      const subscription = f.run$().subscribe();
      await started.promise;
      subscription.unsubscribe();
      await new Promise((resolve) => setImmediate(resolve));
      expect(log).toEqual(['onCancellation:Cancelled']);
    });

    it('should fire a subflow’s onCancellation when its parent times out, before the subflow call settles', async () => {
      const log: string[] = [];
      const sub = flow({ name: 'sub-cancelled', flowRunName: 'sub' }, async () => {
        await sleep(10_000, getRunContext().signal);
      }).onCancellation(async (_f, run, state) => {
        await sleep(500);
        log.push(`${run.name}:${state.name}`);
      });
      const parent = flow({ name: 'parent-times-out', timeoutSeconds: 1 }, async () => {
        await sub().catch((error: unknown) => log.push(`sub call:${(error as Error).name}`));
      });
      await withVirtualTime(async () => {
        await parent().catch(() => undefined);
        await sleep(1_000);
      });
      expect(log).toEqual(['sub:Cancelled', 'sub call:CancelledError']);
    });

    it('should register onCancellation and onCrashed after definition and return the flow', () => {
      const f = flow(() => 1);
      expect(f.onCancellation(() => {})).toBe(f);
      expect(f.onCrashed(() => {})).toBe(f);
      expect(f.onRunning(() => {})).toBe(f);
      expect(f.onCompletion(() => {})).toBe(f);
      expect(f.onFailure(() => {})).toBe(f);
    });

    it('should end Crashed and fire onCrashed when the engine fails under the run (a run-name function throws)', async () => {
      const crashed: State[] = [];
      const failure = new Error('naming broke');
      const f = flow(
        {
          name: 'crashy',
          flowRunName: () => {
            throw failure;
          },
        },
        () => 1,
      ).onCrashed((_f, _run, state) => void crashed.push(state));
      const recorder = recordRunStates();
      const result = await outcome(f());
      recorder.stop();
      expect(result).toEqual({ ok: false, error: failure });
      const states = recorder.statesOf('crashy');
      expect(names(states)).toEqual(['Pending', 'Crashed']);
      expectValidSequence(states);
      expect(crashed).toHaveLength(1);
      expect(crashed[0]!.error).toBe(failure);
    });

    it('should report a throwing flow hook and keep the flow result', async () => {
      const { reports, restore } = captureReports();
      try {
        const f = flow({ name: 'fragile-flow', flowRunName: 'fragile' }, () => 'ok').onCompletion(
          function brokenHook() {
            throw new Error('hook bug');
          },
        );
        await expect(f()).resolves.toBe('ok');
        expect(reports.map((r) => r.message)).toMatchInlineSnapshot(`
         [
           "onCompletion hook 'brokenHook' of flow run 'fragile' failed; the run's state is unchanged",
         ]
        `);
      } finally {
        restore();
      }
    });

    it('should keep withOptions copies apart from the original', async () => {
      const log: string[] = [];
      const original = flow({ name: 'orig-flow' }, () => 1);
      const copy = original.withOptions({ name: 'copy-flow', retries: 1 });
      copy.onCompletion(() => void log.push('copy'));
      await original();
      expect(log).toEqual([]);
      await copy();
      expect(log).toEqual(['copy']);
      expect(original.options).toEqual({ name: 'orig-flow' });
      expect(copy.options).toEqual({ name: 'copy-flow', retries: 1 });
      expect(copy.name).toBe('copy-flow');
    });
  });

  describe('option validation', () => {
    it('should reject bad flow options at definition, naming the flow and the option', () => {
      const body = (n: number) => n;
      const attempts: [string, () => unknown][] = [
        ['negative retries', () => flow({ name: 'f', retries: -1 }, body)],
        ['NaN timeout', () => flow({ name: 'f', timeoutSeconds: NaN }, body)],
        ['negative delay in a list', () => flow({ name: 'f', retryDelaySeconds: [0, -5] }, body)],
        ['parameters not a zod schema', () => flow({ name: 'f', parameters: {} as never }, body)],
        [
          'validateParameters not a boolean',
          () => flow({ name: 'f', validateParameters: 'no' as never }, body),
        ],
        ['a task-only option', () => flow({ name: 'f', taskRunName: 'x' } as never, body)],
        ['onCrashed hook not a function', () => flow({ name: 'f', onCrashed: [3] as never }, body)],
        ['template naming no parameter', () => flow({ name: 'f', flowRunName: 'etl-{day}' }, body)],
        [
          'template naming no schema key',
          () =>
            flow(
              { name: 'f', parameters: z.object({ n: z.number() }), flowRunName: 'etl-{day}' },
              ({ n }) => n,
            ),
        ],
        ['non-function body', () => flow({ name: 'f' }, 'body' as never)],
        ['withOptions', () => flow({ name: 'f' }, body).withOptions({ timeoutSeconds: -1 })],
      ];
      const messages: Record<string, string> = {};
      for (const [label, define] of attempts) {
        try {
          define();
          messages[label] = 'did not throw';
        } catch (error) {
          messages[label] = `${(error as Error).name}: ${(error as Error).message}`;
        }
      }
      expect(messages).toMatchInlineSnapshot(`
       {
         "NaN timeout": "OptionValidationError: flow 'f': invalid option 'timeoutSeconds': Invalid input: expected number, received NaN (got NaN)",
         "a task-only option": "OptionValidationError: flow 'f': invalid option 'taskRunName': unknown option",
         "negative delay in a list": "OptionValidationError: flow 'f': invalid option 'retryDelaySeconds': Too small: expected number to be >=0 (got [0, -5])",
         "negative retries": "OptionValidationError: flow 'f': invalid option 'retries': Too small: expected number to be >=0 (got -1)",
         "non-function body": "OptionValidationError: flow 'f': invalid option 'fn': expected the flow body to be a function, got "body"",
         "onCrashed hook not a function": "OptionValidationError: flow 'f': invalid option 'onCrashed': expected a function (got [3])",
         "parameters not a zod schema": "OptionValidationError: flow 'f': invalid option 'parameters': expected a schema: zod (classic or mini), or any Standard Schema such as valibot or arktype (got {})",
         "template naming no parameter": "OptionValidationError: flow 'f': invalid option 'flowRunName': the template refers to '{day}', which is not a parameter of flow 'f' (parameters read from its source: n); if a bundler or minifier renamed them, set the parameterNames option (one name per parameter, in order)",
         "template naming no schema key": "OptionValidationError: flow 'f': invalid option 'flowRunName': the template refers to '{day}', which is not a parameter of flow 'f'",
         "validateParameters not a boolean": "OptionValidationError: flow 'f': invalid option 'validateParameters': Invalid input: expected boolean, received string (got "no")",
         "withOptions": "OptionValidationError: flow 'f': invalid option 'timeoutSeconds': Too small: expected number to be >=0 (got -1)",
       }
      `);
    });

    it('should accept a run-name template naming a key of the parameters schema, and name runs from it', async () => {
      const etl = flow(
        {
          name: 'etl',
          parameters: z.object({ day: z.string(), region: z.string().default('eu') }),
          flowRunName: 'etl-{day}-{region}',
        },
        ({ day }) => `${getRunContext().flowRun?.name} for ${day}`,
      );
      await expect(etl({ day: '2024-03-01' })).resolves.toBe('etl-2024-03-01-eu for 2024-03-01');
    });
  });
});
