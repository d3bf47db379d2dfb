import { Writable } from 'node:stream';
import pino from 'pino';
import { configureLogging, flow, getClient, getRunLogger, task } from '../../lib/index.node';
import { createPinoSink } from '../../lib/node/index';
import { withVirtualTime } from '../../lib/testing/index.node';
import { isolateObservability } from '../client/support';

/** A pino logger writing JSON lines into `lines`. */
function capturingPino(level = 'debug') {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n'))
        if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level, base: undefined }, stream), lines };
}

describe('createPinoSink', () => {
  isolateObservability();

  it('should forward each record at its level, with the run identity merged into its fields', async () => {
    const { logger, lines } = capturingPino();
    const restore = configureLogging({ level: 'debug', sinks: [createPinoSink(logger)] });
    try {
      const load = task({ name: 'load', taskRunName: 'load-sales' }, () => {
        const log = getRunLogger();
        log.debug('connecting', { host: 'db' });
        log.info('loaded', { rows: 3, runId: 'overridden' });
        log.warn('slow');
        log.error('failed', new Error('boom'));
      });
      await flow({ name: 'etl', flowRunName: 'etl-run' }, () => load())();
    } finally {
      restore();
    }
    const [flowRun] = await getClient().readFlowRuns();
    const [taskRun] = await getClient().readTaskRuns();
    const ids = { runId: taskRun!.id, runName: 'load-sales', flowRunId: flowRun!.id, taskRunId: taskRun!.id };
    expect(lines.map(({ time, ...rest }) => (expect(typeof time).toBe('number'), rest))).toEqual([
      { level: 20, msg: 'connecting', host: 'db', ...ids },
      { level: 30, msg: 'loaded', rows: 3, ...ids },
      { level: 40, msg: 'slow', ...ids },
      {
        level: 50,
        msg: 'failed',
        err: expect.objectContaining({ type: 'Error', message: 'boom', stack: expect.any(String) }),
        ...ids,
      },
    ]);
  });

  it('should pass the run clock’s time as timestamp when asked', async () => {
    const { logger, lines } = capturingPino();
    const restore = configureLogging({ sinks: [createPinoSink(logger, { timestamp: true })] });
    try {
      await withVirtualTime(() => task(() => getRunLogger().info('at start'))(), {
        start: Date.UTC(2025, 0, 1),
      });
    } finally {
      restore();
    }
    expect(lines[0]).toMatchObject({ msg: 'at start', timestamp: '2025-01-01T00:00:00.000Z' });
    expect(lines[0]).not.toHaveProperty('flowRunId');
  });

  it('should leave filtering below its own level to pino', async () => {
    const { logger, lines } = capturingPino('warn');
    const restore = configureLogging({ sinks: [createPinoSink(logger)] });
    try {
      await task(() => {
        getRunLogger().info('dropped by pino');
        getRunLogger().warn('kept');
      })();
    } finally {
      restore();
    }
    expect(lines.map((l) => l.msg)).toEqual(['kept']);
  });

  it('should reject something that is not a pino logger', () => {
    expect(() => createPinoSink({ info() {} } as never)).toThrowErrorMatchingInlineSnapshot(
      `"createPinoSink: expected a pino logger, but it has no debug() method"`,
    );
  });
});
