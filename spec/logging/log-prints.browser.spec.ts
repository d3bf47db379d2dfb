// The root browser entry: no AsyncLocalStorage, so logPrints captures only the synchronous part
// of a body, and a logger taken before the first await stays bound to its run.
import {
  configureLogging,
  flow,
  getRunLogger,
  MemoryRunStore,
  runtime,
  setRunStore,
  task,
  type LogRecord,
} from '../../lib/index';

describe('logPrints (browser entry)', () => {
  const logged: LogRecord[] = [];
  const printed: string[] = [];
  let undo: (() => void)[] = [];

  beforeEach(() => {
    logged.length = printed.length = 0;
    undo = [
      setRunStore(new MemoryRunStore()),
      configureLogging({ sinks: [{ write: (r) => logged.push(r) }] }),
    ];
    const spy = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args.join(' '));
    });
    undo.push(() => spy.mockRestore());
  });
  afterEach(() => undo.reverse().forEach((f) => f()));

  it('should capture console calls until the body’s first await, and pass the rest through', async () => {
    await task({ name: 'sync-part', logPrints: true }, async () => {
      console.log('before the await');
      await null;
      console.log('after the await');
    })();
    expect(logged.map((r) => r.message)).toEqual(['before the await']);
    expect(printed).toEqual(['after the await']);
  });

  it('should keep a logger taken before the first await bound to its run', async () => {
    await flow({ name: 'bound', flowRunName: 'bound' }, async () => {
      const logger = getRunLogger();
      await null;
      logger.info('still mine');
    })();
    expect(logged.map((r) => [r.runName, r.message])).toEqual([['bound', 'still mine']]);
  });

  it('should read runtime fields synchronously in a run, and undefined outside', async () => {
    const seen = await task({ name: 'rt', taskRunName: 'rt-run' }, () => runtime.taskRun.name)();
    expect(seen).toBe('rt-run');
    expect(runtime.taskRun.name).toBeUndefined();
  });
});
