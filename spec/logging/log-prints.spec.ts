import {
  configureLogging,
  flow,
  getClient,
  isOptionValidationError,
  runStates$,
  task,
  type LogRecord,
} from '../../lib/index.node';
import { isolateObservability, tick } from '../client/support';

type Method = 'log' | 'info' | 'warn' | 'error';
const METHODS: Method[] = ['log', 'info', 'warn', 'error'];

describe('logPrints', () => {
  const state = isolateObservability();
  let printed: Record<Method, string[]>;
  let spies: jest.SpyInstance[];

  beforeEach(() => {
    printed = { log: [], info: [], warn: [], error: [] };
    spies = METHODS.map((m) =>
      jest.spyOn(console, m).mockImplementation((...args: unknown[]) => {
        printed[m].push(args.map(String).join(' '));
      }),
    );
  });
  afterEach(() => {
    for (const spy of spies) spy.mockRestore();
  });

  const messages = (records: readonly LogRecord[]) => records.map((r) => `${r.level}:${r.message}`);

  it('should turn console calls in a flow run into records of that run, by level', async () => {
    const report = flow({ name: 'report', logPrints: true }, () => {
      console.log('rows', 3, { region: 'eu' });
      console.info('%s has %d rows', 'sales', 3);
      console.warn('slow');
      console.error('failed:', new RangeError('bad').message);
    });
    await report();
    expect(messages(state.logged)).toEqual([
      'info:rows 3 {"region":"eu"}',
      'info:sales has 3 rows',
      'warn:slow',
      'error:failed: bad',
    ]);
    expect(printed).toEqual({ log: [], info: [], warn: [], error: [] });
    const run = (await getClient().readFlowRuns({ flowName: 'report' }))[0]!;
    expect(state.logged.every((r) => r.runId === run.id && r.flowRunId === run.id)).toBe(true);
  });

  it('should make console.log(a, b) an info record with message "a b" and no fields', async () => {
    await task({ logPrints: true }, () => console.log('a', 'b'))();
    expect(state.logged).toHaveLength(1);
    expect(state.logged[0]).toMatchObject({ level: 'info', message: 'a b', fields: {} });
  });

  it("should pass a flow's setting to its tasks, unless they set their own", async () => {
    const inherits = task({ name: 'inherits' }, () => console.log('from inherits'));
    const optsOut = task({ name: 'opts-out', logPrints: false }, () => console.log('from opts-out'));
    const nested = task({ name: 'nested' }, () => inherits());
    const main = flow({ name: 'main', logPrints: true }, async () => {
      await inherits();
      await optsOut();
      await nested();
    });
    await main();
    expect(state.logged.map((r) => [r.runName.replace(/-\w{3}$/, ''), r.message])).toEqual([
      ['inherits', 'from inherits'],
      ['inherits', 'from inherits'],
    ]);
    expect(printed.log).toEqual(['from opts-out']);
  });

  it('should capture a task that sets logPrints inside a flow that does not', async () => {
    const chatty = task({ name: 'chatty', logPrints: true }, () => console.log('captured'));
    await flow({ name: 'plain' }, async () => {
      console.log('not captured');
      await chatty();
    })();
    expect(messages(state.logged)).toEqual(['info:captured']);
    expect(printed.log).toEqual(['not captured']);
  });

  it('should leave console output outside the run untouched, also while runs interleave', async () => {
    const capturing = flow({ name: 'capturing', logPrints: true }, async (n: number) => {
      for (let i = 0; i < 3; i++) {
        console.log(`run ${n} line ${i}`);
        await tick();
      }
    });
    const plain = flow({ name: 'plain', logPrints: false }, async () => {
      for (let i = 0; i < 3; i++) {
        console.log(`plain line ${i}`);
        await tick();
      }
    });
    const outside = async () => {
      for (let i = 0; i < 3; i++) {
        console.log(`outside line ${i}`);
        await tick();
      }
    };

    await Promise.all([capturing(1), plain(), outside(), capturing(2)]);

    expect(printed.log).toEqual([
      'plain line 0',
      'outside line 0',
      'plain line 1',
      'outside line 1',
      'plain line 2',
      'outside line 2',
    ]);
    for (const n of [1, 2]) {
      const mine = state.logged.filter((r) => r.message.startsWith(`run ${n} `));
      expect(mine.map((r) => r.message)).toEqual([`run ${n} line 0`, `run ${n} line 1`, `run ${n} line 2`]);
      expect(new Set(mine.map((r) => r.runId)).size).toBe(1);
      expect(await getClient().readLogs(mine[0]!.runId)).toEqual(mine);
    }
    // The runs' records interleaved in time, yet each run kept only its own.
    expect(state.logged.map((r) => r.message.slice(0, 5))).toEqual([
      'run 1',
      'run 2',
      'run 1',
      'run 2',
      'run 1',
      'run 2',
    ]);
  });

  it('should restore console once no logPrints run is going', async () => {
    const before = METHODS.map((m) => console[m]);
    let during: unknown[] = [];
    await flow({ logPrints: true }, () => {
      during = METHODS.map((m) => console[m]);
    })();
    expect(during).not.toEqual(before);
    expect(METHODS.map((m) => console[m])).toEqual(before);
  });

  it('should not capture what a sink, a runStates$ subscriber or a hook prints', async () => {
    const restore = configureLogging({
      sinks: [{ write: (record) => console.log(`sink: ${record.message}`) }],
    });
    const subscription = runStates$.subscribe(({ run, state: s }) => {
      if (run.kind === 'task') console.log(`bus: ${s.name}`);
    });
    try {
      const t = task({ name: 't', onCompletion: [() => console.log('hook ran')] }, () => {
        console.log('body');
      });
      await flow({ logPrints: true }, () => t())();
    } finally {
      subscription.unsubscribe();
      restore();
    }
    expect(printed.log).toEqual(['bus: Pending', 'bus: Running', 'sink: body', 'bus: Completed', 'hook ran']);
  });

  it('should reject a logPrints option that is not a boolean', () => {
    let error: unknown;
    try {
      task({ logPrints: 'yes' as unknown as boolean }, () => 1);
    } catch (e) {
      error = e;
    }
    expect(isOptionValidationError(error)).toBe(true);
    expect((error as Error).message).toMatchInlineSnapshot(
      `"task 'task': invalid option 'logPrints': Invalid input: expected boolean, received string (got "yes")"`,
    );
  });

  it('should never throw into the body, whatever the substitutions are given', async () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const noisy = task({ name: 'noisy', logPrints: true }, () => {
      console.log('%d', Symbol('s'));
      console.log('%i and %f', Object.create(null), Symbol('t'));
      console.log(
        '%d %s',
        {
          valueOf: () => {
            throw new Error('no number');
          },
        },
        proxy,
      );
      console.log(proxy);
      return 'done';
    });
    await expect(noisy()).resolves.toBe('done');
    expect(messages(state.logged)).toEqual([
      'info:NaN',
      'info:NaN and NaN',
      'info:NaN [unreadable object]',
      'info:[unreadable object]',
    ]);
  });
});
