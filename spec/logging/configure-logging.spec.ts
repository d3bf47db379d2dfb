import { configureLogging, createConsoleSink, getLoggingConfig, type LogSink } from '../../lib/index.node';

describe('configureLogging', () => {
  it('should default to level info and one console sink', () => {
    const { level, sinks } = getLoggingConfig();
    expect(level).toBe('info');
    expect(sinks).toHaveLength(1);
  });

  it('should change only the given settings and restore the previous ones', () => {
    const before = getLoggingConfig();
    const sink: LogSink = { write: () => {} };
    const restoreLevel = configureLogging({ level: 'warn' });
    expect(getLoggingConfig()).toEqual({ level: 'warn', sinks: before.sinks });
    const restoreSinks = configureLogging({ sinks: [sink, createConsoleSink()] });
    expect(getLoggingConfig().level).toBe('warn');
    expect(getLoggingConfig().sinks[0]).toBe(sink);
    restoreSinks();
    restoreLevel();
    expect(getLoggingConfig()).toEqual(before);
  });

  it('should reject bad settings with a message naming the setting', () => {
    expect(() => configureLogging({ level: 'verbose' as 'info' })).toThrowErrorMatchingInlineSnapshot(
      `"configureLogging: invalid option 'level': Invalid option: expected one of "debug"|"info"|"warn"|"error" (got "verbose")"`,
    );
    expect(() =>
      configureLogging({ sinks: [console.log as unknown as LogSink] }),
    ).toThrowErrorMatchingInlineSnapshot(
      `"configureLogging: invalid option 'sinks': expected sinks with a write(record) method (got [a function])"`,
    );
    expect(() => configureLogging(null as never)).toThrowErrorMatchingInlineSnapshot(
      `"configureLogging: invalid option 'options': expected an object, got null"`,
    );
  });
});
