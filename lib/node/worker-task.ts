import { pathToFileURL } from 'node:url';
import { isAbsolute } from 'node:path';

/** Options of {@link workerTask}. */
export interface WorkerTaskOptions {
  /**
   * The name the module exports the function (or a task made from it) under.
   * @default the function's own name (`fn.name`)
   */
  exportName?: string;
}

/** @internal Where a worker thread imports a registered function from. */
export interface WorkerModuleRef {
  readonly url: string;
  readonly exportName: string;
}

const registered = new WeakMap<object, WorkerModuleRef>();

/**
 * Marks `fn` as loadable in a worker thread: a `WorkerThreadTaskRunner` runs a task made from it
 * by importing `module` in the worker and calling its export `exportName` (default `fn.name`),
 * instead of sending the function's source. Use it for any function that imports libraries or
 * uses other functions of its module. `module` is the module's URL or absolute path: in an ES
 * module, `import.meta.url` when the function is defined in the same module, or
 * `new URL('./hashing.js', import.meta.url)`; in CommonJS, `__filename` or a `require.resolve`d
 * path. The module is imported in every worker, so it must not start work when imported (keep
 * flow runs out of it). `fn` may also be a task the module exports (pass its export name).
 * Returns `fn` itself, unchanged: calls on the main thread (direct calls, other runners) run it
 * as before.
 * @example
 * ```ts
 * // hashing.ts: no side effects when imported
 * export const hashBlock = task(
 *   { name: 'hash-block' },
 *   workerTask(function hashBlock(data: Uint8Array) {
 *     return createHash('sha256').update(data).digest('hex');
 *   }, import.meta.url),
 * );
 * ```
 */
export function workerTask<F extends (...args: never[]) => unknown>(
  fn: F,
  module: string | URL,
  options: WorkerTaskOptions = {},
): F {
  if (typeof fn !== 'function') {
    throw new TypeError(`workerTask: expected fn to be a function, got ${fn === null ? 'null' : typeof fn}`);
  }
  const exportName = options.exportName ?? fn.name;
  if (typeof exportName !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(exportName)) {
    throw new TypeError(
      `workerTask: ${options.exportName === undefined ? 'the function has no name to look its export up by; pass { exportName }' : `expected exportName to be an identifier, got ${String(exportName)}`}`,
    );
  }
  // A task: its runs call `task.fn`, and the worker takes `fn` of the exported task.
  const body = (fn as { fn?: unknown }).fn;
  const target = typeof body === 'function' && 'run$' in fn ? body : fn;
  registered.set(target, { url: moduleUrl(module), exportName });
  return fn;
}

/** @internal The module `fn` was registered with by {@link workerTask}, if any. */
export function workerModuleOf(fn: object): WorkerModuleRef | undefined {
  return registered.get(fn);
}

function moduleUrl(module: string | URL): string {
  if (module instanceof URL) return module.href;
  if (typeof module === 'string' && module.startsWith('file:')) return module;
  if (typeof module === 'string' && isAbsolute(module)) return pathToFileURL(module).href;
  throw new TypeError(
    `workerTask: expected module to be a file URL or an absolute path (import.meta.url, __filename), got ${String(module)}`,
  );
}
