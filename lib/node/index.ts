/**
 * `rxflow/node`: Node-only parts. Importing it also installs AsyncLocalStorage-based context.
 * @packageDocumentation
 */
export { installShutdownHandler } from './shutdown.js';
export type { ShutdownHandlerOptions } from './shutdown.js';
