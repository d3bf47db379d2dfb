import { AsyncResource } from 'node:async_hooks';
import { setContextCapture } from './context-binder.js';

// Carries every AsyncLocalStorage (the engine's frames and the user's own, such as a logger's
// request id) into virtual timer callbacks, exactly as a real setTimeout would.
setContextCapture(() => {
  const resource = new AsyncResource('rxflow.VirtualTimer');
  return (fn) => resource.runInAsyncScope(fn);
});
