import { AsyncLocalStorage } from 'node:async_hooks';
import type { ContextStore, Frame } from './context.js';
import { installContextStore } from './context.js';
import { shared } from './shared.js';

const storage = shared('asyncLocalStorage', () => new AsyncLocalStorage<Frame>());

/** @internal Node's store: frames follow awaits, timers and concurrent branches. */
export const asyncLocalStore: ContextStore = {
  propagatesAcrossAwait: true,
  get: () => storage.getStore(),
  run: (frame, fn, ...args) => storage.run(frame, fn, ...args),
  apply: (frame, fn, args) => storage.run(frame, applyArgs, fn, args),
};

function applyArgs(fn: (...args: never[]) => unknown, args: readonly unknown[]): unknown {
  return (fn as (...a: readonly unknown[]) => unknown)(...args);
}

installContextStore(asyncLocalStore);
