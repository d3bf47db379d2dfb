// The Node build of the root entry: the same API, with run context carried by
// AsyncLocalStorage so it follows awaits, timers and concurrent branches.
import './internal/context-node.js';

export * from './index.js';
