// Shared by the observability specs (logging, runtime, events, artifacts, client).
import {
  configureLogging,
  MemoryRunStore,
  setRunStore,
  type LogRecord,
  type LogSink,
  type MemoryRunStoreOptions,
} from '../../lib/index.node';

/**
 * Gives each test a fresh run store and logging that prints nothing (records are collected in
 * `logged`), restoring both afterwards.
 */
export function isolateObservability(options?: MemoryRunStoreOptions): { logged: LogRecord[] } {
  const state = { logged: [] as LogRecord[] };
  let restore: (() => void)[] = [];
  beforeEach(() => {
    state.logged = [];
    const sink: LogSink = { write: (record) => state.logged.push(record) };
    restore = [setRunStore(new MemoryRunStore(options)), configureLogging({ level: 'info', sinks: [sink] })];
  });
  afterEach(() => {
    for (const undo of restore.reverse()) undo();
  });
  return state;
}

/** Resolves after a macrotask turn: lets concurrent runs interleave. */
export const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
