/**
 * The script `WorkerThreadTaskRunner`'s worker threads load (through piscina): finds the task's
 * function, calls it with the attempt's arguments, and answers with its result or what it
 * threw, taken apart so rxflow's error classes can be rebuilt on the main thread. It imports
 * nothing of the engine, so a worker starts quickly. Not part of the public API.
 * @packageDocumentation
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { encodeThrown } from '../internal/worker/error-codec.js';
import {
  TRANSFER_ERROR_CODE,
  TRANSFER_ERROR_NAME,
  type EncodedThrown,
  type WorkerCall,
  type WorkerReply,
} from '../internal/worker/protocol.js';
import { findUntransferable } from '../internal/worker/transferable.js';

type Body = (...args: unknown[]) => unknown;

const MAX_CACHED = 256;
const bodies = new Map<string, Body>();

// A real `import()`: the CommonJS build would otherwise turn it into `require()`, which
// cannot load ES modules or file URLs.
const importModule = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<Record<string, unknown>>;

/** Runs one attempt's body. Never rejects: a rejection would be the pool's own failure. */
export default async function runWorkerTask(call: WorkerCall): Promise<WorkerReply> {
  let body: Body;
  try {
    body = await load(call);
  } catch (error) {
    return { ok: false, thrown: isTransfer(error) ? error.thrown : encodeThrown(error) };
  }
  let value: unknown;
  try {
    value = await body(...call.args);
  } catch (error) {
    const missing = call.kind === 'source' ? undefinedName(error) : undefined;
    if (missing !== undefined) {
      return {
        ok: false,
        thrown: transferError(
          call.taskName,
          `its function uses '${missing}', which does not exist in the worker: the function was sent by its ` +
            'source, without the variables and imports around it. Make it self-contained, or put it in a ' +
            'module and register it with workerTask(fn, import.meta.url)',
          error,
        ),
      };
    }
    return { ok: false, thrown: encodeThrown(error) };
  }
  const problem = findUntransferable(value, 'its result');
  if (problem !== undefined) {
    return { ok: false, thrown: transferError(call.taskName, problem) };
  }
  return { ok: true, value };
}

async function load(call: WorkerCall): Promise<Body> {
  const key = call.kind === 'source' ? call.source : `${call.url}#${call.exportName}`;
  const cached = bodies.get(key);
  if (cached !== undefined) return cached;
  const body = call.kind === 'source' ? compile(call) : await importExport(call);
  if (bodies.size >= MAX_CACHED) bodies.delete(bodies.keys().next().value!);
  bodies.set(key, body);
  return body;
}

function compile(call: WorkerCall & { kind: 'source' }): Body {
  try {
    // `__name` is the helper esbuild (tsx) inserts to keep function names.
    const make = new Function('__name', `return (${call.source}\n);`) as (name: unknown) => unknown;
    return make(keepName) as Body;
  } catch (error) {
    throw new TransferFailure(
      transferError(call.taskName, 'its source does not compile on its own as a function expression', error),
    );
  }
}

async function importExport(call: WorkerCall & { kind: 'module' }): Promise<Body> {
  let namespace: Record<string, unknown>;
  try {
    namespace = await loadModule(call.url);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const hint =
      code === 'ERR_UNKNOWN_FILE_EXTENSION'
        ? ': Node cannot load TypeScript in a worker thread without a loader; start the program with tsx ' +
          "(worker threads inherit its loader) or pass execArgv: ['--import', 'tsx'] to WorkerThreadTaskRunner"
        : `: ${(error as Error)?.message ?? String(error)}`;
    throw new TransferFailure(
      transferError(call.taskName, `its module ${call.url} could not be loaded in the worker${hint}`, error),
    );
  }
  let value = namespace[call.exportName];
  const fallback = namespace.default as Record<string, unknown> | undefined;
  if (value === undefined && fallback !== null && typeof fallback === 'object')
    value = fallback[call.exportName];
  // A task exported from the module: its body is `fn`.
  const body = typeof value === 'function' ? (value as { fn?: unknown }).fn : undefined;
  if (typeof body === 'function' && 'run$' in (value as object)) value = body;
  if (typeof value !== 'function') {
    const names = Object.keys(namespace).filter((k) => typeof namespace[k] === 'function');
    throw new TransferFailure(
      transferError(
        call.taskName,
        `its module ${call.url} has no function exported as '${call.exportName}'` +
          ` (its function exports: ${names.length === 0 ? 'none' : names.join(', ')})`,
      ),
    );
  }
  return value as Body;
}

/** A `WorkerTransferError` ready to send; it is rebuilt as one on the main thread. */
function transferError(taskName: string, reason: string, cause?: unknown): EncodedThrown {
  const message = `Task '${taskName}' cannot run in a worker thread: ${reason}`;
  return {
    kind: 'error',
    error: {
      name: TRANSFER_ERROR_NAME,
      message,
      stack: `${TRANSFER_ERROR_NAME}: ${message}`,
      props: { code: TRANSFER_ERROR_CODE, taskName },
      cause: cause === undefined ? undefined : encodeThrown(cause),
    },
  };
}

/**
 * `require` first, as piscina does: loaders such as tsx hook `require` in worker threads, while
 * module customization hooks do not reach them on Node 20. ES modules then go through `import()`.
 */
async function loadModule(url: string): Promise<Record<string, unknown>> {
  let file = url.startsWith('file:') ? fileURLToPath(url) : url;
  // A TypeScript source named as its compiled output ('./cpu.js' for cpu.ts), as TS imports are.
  if (!existsSync(file)) {
    const source = file.replace(/\.([mc]?)js$/, '.$1ts');
    if (source !== file && existsSync(source)) file = source;
  }
  const href = pathToFileURL(file).href;
  if (!/\.m[jt]s$/.test(file)) {
    const require = createRequire(file);
    // TypeScript without a `require` hook goes to import(), which explains the problem.
    if (!/\.c?ts$/.test(file) || '.ts' in require.extensions) {
      try {
        return require(file) as Record<string, unknown>;
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') throw error;
      }
    }
  }
  return importModule(href);
}

class TransferFailure {
  constructor(readonly thrown: EncodedThrown) {}
}

function isTransfer(error: unknown): error is TransferFailure {
  return error instanceof TransferFailure;
}

/** The name in a `ReferenceError: x is not defined`, if that is what `error` is. */
function undefinedName(error: unknown): string | undefined {
  return error instanceof ReferenceError ? /^(\S+) is not defined$/.exec(error.message)?.[1] : undefined;
}

function keepName<T>(target: T, value: string): T {
  return Object.defineProperty(target, 'name', { value, configurable: true });
}
