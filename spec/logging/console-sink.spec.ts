import { createConsoleSink, isOptionValidationError, type LogRecord } from '../../lib/index.node';
import { formatRecord } from '../../lib/logging/console-sink';

const record = (over: Partial<LogRecord> = {}): LogRecord => ({
  level: 'info',
  message: 'loaded',
  fields: { table: 'sales', rows: 3, note: 'two words', nested: { a: [1, 2] }, err: new Error('boom') },
  runId: 'r1',
  flowRunId: 'f1',
  taskRunId: 'r1',
  runName: 'load-sales',
  timestamp: new Date(Date.UTC(2025, 0, 1, 14, 3, 7, 120)),
  ...over,
});

describe('createConsoleSink', () => {
  const realTz = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'UTC';
  });
  afterAll(() => {
    process.env.TZ = realTz;
  });

  it('should format a record on one line: time, level, run name, message, fields', () => {
    expect(formatRecord(record(), false)).toMatchInlineSnapshot(
      `"14:03:07.120 INFO  [load-sales] loaded table=sales rows=3 note="two words" nested={"a":[1,2]} err="Error: boom""`,
    );
    expect(formatRecord(record({ level: 'error', fields: {} }), true)).toBe(
      '\u001b[90m14:03:07.120\u001b[39m \u001b[31mERROR\u001b[39m [\u001b[1mload-sales\u001b[22m] loaded',
    );
  });

  it('should write each level through the console method of that level', () => {
    const calls: string[] = [];
    const spies = (['debug', 'info', 'warn', 'error'] as const).map((m) =>
      jest.spyOn(console, m).mockImplementation((...args: unknown[]) => {
        calls.push(`${m}: ${String(args[0])}`);
      }),
    );
    try {
      const sink = createConsoleSink({ colors: false });
      for (const level of ['debug', 'info', 'warn', 'error'] as const)
        sink.write(record({ level, fields: {} }));
    } finally {
      spies.forEach((s) => s.mockRestore());
    }
    expect(calls).toEqual([
      'debug: 14:03:07.120 DEBUG [load-sales] loaded',
      'info: 14:03:07.120 INFO  [load-sales] loaded',
      'warn: 14:03:07.120 WARN  [load-sales] loaded',
      'error: 14:03:07.120 ERROR [load-sales] loaded',
    ]);
  });

  it('should skip records below its own level', () => {
    const spy = jest.spyOn(console, 'info').mockImplementation(() => {});
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const sink = createConsoleSink({ level: 'warn', colors: false });
      sink.write(record());
      sink.write(record({ level: 'warn' }));
      expect(spy).not.toHaveBeenCalled();
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
      warn.mockRestore();
    }
  });

  it('should reject bad options with a message naming the option', () => {
    let error: unknown;
    try {
      createConsoleSink({ level: 'loud' as 'info' });
    } catch (e) {
      error = e;
    }
    expect(isOptionValidationError(error)).toBe(true);
    expect((error as Error).message).toMatchInlineSnapshot(
      `"createConsoleSink: invalid option 'level': Invalid option: expected one of "debug"|"info"|"warn"|"error" (got "loud")"`,
    );
    expect(() => createConsoleSink({ color: true } as never)).toThrowErrorMatchingInlineSnapshot(
      `"createConsoleSink: invalid option 'color': unknown option"`,
    );
  });
});
