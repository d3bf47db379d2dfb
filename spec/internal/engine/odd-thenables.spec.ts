import { getClient } from '../../../lib/client/get-client';
import { flow } from '../../../lib/flow/flow';
import { setErrorReporter } from '../../../lib/internal/report';
import { task } from '../../../lib/task/task';

/** A thenable whose `then` throws. */
const thenThrows = (message: string) => ({
  then() {
    throw new Error(message);
  },
});

/** An object whose `then` getter throws. */
const thenGetterThrows = (message: string) =>
  Object.defineProperty({}, 'then', {
    get() {
      throw new Error(message);
    },
  });

/** A revoked Proxy: every operation on it throws, `instanceof` and `String()` included. */
function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/** Never settles: what a hang looks like. The test fails on its timeout rather than hanging. */
async function settled<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

describe('odd thenables and unreadable values', () => {
  let reported: [string, unknown][];
  let restore: () => void;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    reported = [];
    restore = setErrorReporter((message, error) => reported.push([message, error]));
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(async () => {
    // A rejection nobody handled is reported after the microtasks of the turn that made it.
    await new Promise((resolve) => setImmediate(resolve));
    process.off('unhandledRejection', onUnhandled);
    restore();
    expect(unhandled).toEqual([]);
  });

  describe('a body', () => {
    it.each([
      ['a thenable whose then throws', () => thenThrows('then broke'), 'then broke'],
      ['an object whose then getter throws', () => thenGetterThrows('getter broke'), 'getter broke'],
    ])(
      'returning %s should end Failed with that error, and the call rejects with it',
      async (_, make, message) => {
        const odd = task({ name: 'odd', taskRunName: 'odd' }, (): unknown => make());
        const call = await settled(odd());
        expect((call.error as Error).message).toBe(message);
        const [run] = await getClient().readTaskRuns({ name: 'odd', limit: 1 });
        expect(run!.state.name).toBe('Failed');
        expect(run!.state.message).toBe(`Error: ${message}`);
      },
    );

    it('returning a thenable whose then throws from a flow should end it Failed too', async () => {
      const odd = flow({ name: 'odd-flow' }, (): unknown => thenThrows('flow then broke'));
      const call = await settled(odd());
      expect((call.error as Error).message).toBe('flow then broke');
      const [run] = await getClient().readFlowRuns({ flowName: 'odd-flow', limit: 1 });
      expect(run!.state.name).toBe('Failed');
    });

    it.each([
      ['rejecting with', (proxy: object) => Promise.reject(proxy)],
      [
        'throwing',
        (proxy: object) => {
          throw proxy;
        },
      ],
    ])(
      '%s a revoked Proxy should end Failed with it, the call rejecting with the same value',
      async (_, body) => {
        const proxy = revoked();
        const odd = task({ name: 'odd-proxy', taskRunName: 'odd-proxy' }, () => body(proxy));
        const call = await settled(odd());
        expect(call.error).toBe(proxy);
        const [run] = await getClient().readTaskRuns({ name: 'odd-proxy', limit: 1 });
        expect(run!.state.name).toBe('Failed');
        expect(run!.state.message).toBe('Non-Error thrown: [unreadable object]');
      },
    );
  });

  describe('a retryConditionFn', () => {
    it.each([
      [
        'throws',
        () => {
          throw new Error('condition broke');
        },
      ],
      ['rejects', () => Promise.reject(new Error('condition broke'))],
      ['returns a thenable whose then throws', () => thenThrows('condition broke')],
      ['returns an object whose then getter throws', () => thenGetterThrows('condition broke')],
    ])(
      'that %s should mean "do not retry": the run ends Failed with the body\'s error, and the condition\'s is reported',
      async (_, condition) => {
        let attempts = 0;
        const flaky = task(
          { name: 'flaky', taskRunName: 'flaky', retries: 3, retryConditionFn: condition as () => boolean },
          () => {
            attempts++;
            throw new Error('body broke');
          },
        );
        const call = await settled(flaky());
        expect((call.error as Error).message).toBe('body broke');
        expect(attempts).toBe(1);
        const [run] = await getClient().readTaskRuns({ name: 'flaky', limit: 1 });
        expect(run!.state.name).toBe('Failed');
        expect(reported.map(([m, e]) => `${m} (${(e as Error).message})`)).toEqual([
          "Task 'flaky': the retry condition failed, so the failure is not retried (condition broke)",
        ]);
      },
    );

    it('returning a revoked Proxy (its then cannot be read, so await would reject) should mean "do not retry"', async () => {
      let attempts = 0;
      const proxy = revoked();
      const flaky = task({ name: 'flaky-proxy', retries: 2, retryConditionFn: () => proxy as never }, () => {
        attempts++;
        throw new Error('body broke');
      });
      const call = await settled(flaky());
      expect((call.error as Error).message).toBe('body broke');
      expect(attempts).toBe(1);
      expect(reported).toHaveLength(1);
    });
  });

  describe('a hook', () => {
    it.each([
      ['a thenable whose then throws', () => thenThrows('hook broke')],
      ['an object whose then getter throws', () => thenGetterThrows('hook broke')],
      ['a revoked Proxy', () => revoked()],
    ])(
      "returning %s should be reported, and the call still settles with the run's outcome",
      async (_, make) => {
        const hooked = task(
          { name: 'hooked', taskRunName: 'hooked', onCompletion: [() => make() as never] },
          () => 7,
        );
        const call = await settled(hooked());
        expect(call.value).toBe(7);
        const [run] = await getClient().readTaskRuns({ name: 'hooked', limit: 1 });
        expect(run!.state.name).toBe('Completed');
        expect(reported.map(([m]) => m)).toEqual([
          "onCompletion hook 'anonymous' of task run 'hooked' failed; the run's state is unchanged",
        ]);
      },
    );

    it('whose name cannot be read should be reported as anonymous', async () => {
      const hook = new Proxy(
        () => {
          throw new Error('hook broke');
        },
        {
          get(target, key) {
            if (key === 'name') throw new Error('no name');
            return Reflect.get(target, key) as unknown;
          },
        },
      );
      const call = await settled(
        task({ name: 'hooked-proxy', taskRunName: 'hp', onCompletion: [hook] }, () => 1)(),
      );
      expect(call.value).toBe(1);
      expect(reported.map(([m]) => m)).toEqual([
        "onCompletion hook 'anonymous' of task run 'hp' failed; the run's state is unchanged",
      ]);
    });
  });
});
