import { AsyncResource } from 'node:async_hooks';
import { setContextCapture, type ContextRunner } from './context-binder.js';

// Carries every AsyncLocalStorage (the engine's frames and the user's own, such as a logger's
// request id) into virtual timer callbacks, exactly as a real setTimeout would.
setContextCapture(() => {
  const resource = new AsyncResource('rxflow.VirtualTimer');
  let destroyed = false;
  const run: ContextRunner = (fn) => resource.runInAsyncScope(fn);
  // A cancelled timer ends its resource now, as clearTimeout does, rather than at garbage
  // collection (jest's --detectOpenHandles reports resources never destroyed).
  run.dispose = () => {
    if (destroyed) return;
    destroyed = true;
    resource.emitDestroy();
  };
  return run;
});
