/**
 * `rxflow/node`: Node-only parts. Importing it also installs AsyncLocalStorage-based context.
 * @packageDocumentation
 */
export { installShutdownHandler } from './shutdown.js';
export type { ShutdownHandlerOptions } from './shutdown.js';
export { consoleReporter } from './console-reporter.js';
export type { ConsoleReporter, ConsoleReporterOptions, ReporterStream } from './console-reporter.js';
export { WorkerThreadTaskRunner } from './worker-thread-task-runner.js';
export type { WorkerThreadTaskRunnerOptions } from './worker-thread-task-runner.js';
export { workerTask } from './worker-task.js';
export type { WorkerTaskOptions } from './worker-task.js';
export { WorkerTransferError, isWorkerTransferError } from './worker-transfer-error.js';
export { createPinoSink } from './pino-sink.js';
export type { PinoLike, PinoLogFn, PinoSinkOptions } from './pino-sink.js';
export { LocalFileSystem } from './local-file-system.js';
export type { LocalFileSystemOptions } from './local-file-system.js';
