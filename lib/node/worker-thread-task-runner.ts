import { availableParallelism } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResourceLimits } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { report } from '../internal/report.js';
import { findUntransferable } from '../internal/worker/transferable.js';
import { reviveThrown } from '../internal/worker/error-codec.js';
import type { WorkerCall, WorkerReply, WorkerTarget } from '../internal/worker/protocol.js';
import { ConcurrentTaskRunner } from '../runners/concurrent-task-runner.js';
import type { TaskRunner, TaskRunnerCall } from '../runners/task-runner.js';
import { ERROR_PROTOTYPES } from './error-prototypes.js';
import { workerModuleOf } from './worker-task.js';
import { WorkerTransferError } from './worker-transfer-error.js';

/** Options of {@link WorkerThreadTaskRunner}. */
export interface WorkerThreadTaskRunnerOptions {
  /** Most worker threads. @default os.availableParallelism() */
  maxThreads?: number;
  /** Threads kept alive while idle; none start before the first task. @default 0 */
  minThreads?: number;
  /** Seconds an idle thread above `minThreads` lives. Idle threads never keep the process alive. @default 5 */
  idleTimeoutSeconds?: number;
  /**
   * Most submitted runs of one flow run running at once; the others wait (Pending) in
   * submission order, as with `ConcurrentTaskRunner`. @default maxThreads
   */
  maxConcurrency?: number;
  /**
   * Node options of the worker threads. To load TypeScript task modules without a build, give
   * a loader: `['--import', 'tsx']` (under `tsx` it is inherited already).
   * @default process.execArgv (inherited)
   */
  execArgv?: string[];
  /** Memory limits of each worker thread (`worker_threads` `resourceLimits`). @default none */
  resourceLimits?: ResourceLimits;
}

/**
 * Runs the bodies of submitted task runs on a pool of worker threads ([piscina]), for
 * CPU-bound work: the run's states, retries, timeout and hooks stay on the main thread, only
 * the body's call crosses. Arguments and results are structured-cloned; one that cannot be
 * (a function, a class instance with methods) fails the run with a `WorkerTransferError`
 * naming it, as does a function the worker cannot load. Errors come back with their name,
 * message, stack, cause and data properties, as rxflow's own classes where they are one
 * (a `NonRetriableError` thrown in the worker stops retries). When the run is cancelled or
 * times out, its worker thread is stopped (piscina terminates it and starts a fresh one).
 *
 * The function runs in another thread, so it must be loadable there: register it with
 * {@link workerTask} (`workerTask(fn, import.meta.url)`: the worker imports that module), or
 * keep it self-contained (no variables from outside it, no imports): it is then sent by its
 * source. Inside a worker, `getRunContext()` is not available; pass what the body needs.
 *
 * Every flow run gets its own `maxConcurrency` (see `duplicate`), but all share this runner's
 * pool; threads start on the first task and idle ones do not keep the process alive. Call
 * {@link WorkerThreadTaskRunner.destroy} to stop them at once (tests, shutdown).
 *
 * [piscina]: https://github.com/piscinajs/piscina
 * @example
 * ```ts
 * const runner = new WorkerThreadTaskRunner({ maxThreads: 4 });
 * const hashAll = flow({ taskRunner: runner }, async (blocks: Uint8Array[]) => hashBlock.map(blocks).result());
 * console.log(await hashAll(blocks));
 * await runner.destroy();
 * ```
 */
export class WorkerThreadTaskRunner extends ConcurrentTaskRunner {
  override readonly name: string = 'worker-threads';
  /** The validated options, passed on to duplicates. */
  private readonly settings: Required<Pick<WorkerThreadTaskRunnerOptions, 'maxThreads' | 'minThreads'>> &
    WorkerThreadTaskRunnerOptions;
  private pool: WorkerPool;

  constructor(options: WorkerThreadTaskRunnerOptions = {}) {
    const settings = checkOptions(options);
    super({ maxConcurrency: options.maxConcurrency ?? settings.maxThreads });
    this.settings = settings;
    this.pool = new WorkerPool(settings);
  }

  /** Worker threads alive now (0 before the first task and after {@link destroy}). */
  get threads(): number {
    return this.pool.threads;
  }

  /** A runner for one flow run: its own `maxConcurrency` queue, this runner's pool. */
  override duplicate(): TaskRunner {
    const copy = new WorkerThreadTaskRunner({ ...this.settings, maxConcurrency: this.maxConcurrency });
    copy.pool = this.pool;
    return copy;
  }

  /** Runs one attempt's body in a worker thread (called by the engine). */
  async execute(call: TaskRunnerCall): Promise<unknown> {
    const taskName = call.run.definitionName;
    const target = targetOf(call.fn, taskName);
    const args = call.args;
    for (let i = 0; i < args.length; i++) {
      const problem = findUntransferable(args[i], `argument ${i}`);
      if (problem !== undefined) throw new WorkerTransferError(taskName, problem);
    }
    const message: WorkerCall = { ...target, taskName, args: call.args };
    let reply: WorkerReply;
    try {
      reply = (await this.pool.run(message, call.signal)) as WorkerReply;
    } catch (error) {
      // Aborted: the engine has ended the attempt already and ignores this rejection.
      if (call.signal.aborted) throw call.signal.reason;
      throw new Error(
        `Task '${taskName}': its worker thread failed: ${(error as Error)?.message ?? String(error)}`,
        { cause: error },
      );
    }
    if (reply.ok) return reply.value;
    throw reviveThrown(reply.thrown, ERROR_PROTOTYPES);
  }

  /**
   * Stops every worker thread of this runner's pool (shared with its duplicates), failing the
   * bodies still running; a later task starts a new pool.
   */
  destroy(): Promise<void> {
    return this.pool.destroy();
  }
}

/** The piscina pool, created on the first task and again after `destroy`. */
class WorkerPool {
  private piscina: Piscina | undefined = undefined;

  constructor(
    private readonly settings: WorkerThreadTaskRunnerOptions & { maxThreads: number; minThreads: number },
  ) {}

  get threads(): number {
    return this.piscina?.threads.length ?? 0;
  }

  run(call: WorkerCall, signal: AbortSignal): Promise<unknown> {
    return (this.piscina ??= this.create()).run(call, { signal });
  }

  async destroy(): Promise<void> {
    const piscina = this.piscina;
    this.piscina = undefined;
    if (piscina !== undefined) await piscina.destroy();
  }

  private create(): Piscina {
    const { maxThreads, minThreads, idleTimeoutSeconds = 5, execArgv, resourceLimits } = this.settings;
    const piscina = new Piscina({
      filename: workerEntry(),
      maxThreads,
      minThreads,
      idleTimeout: idleTimeoutSeconds === Infinity ? Infinity : idleTimeoutSeconds * 1000,
      ...(execArgv === undefined ? {} : { execArgv }),
      ...(resourceLimits === undefined ? {} : { resourceLimits }),
    });
    // A worker that fails outside any task (it could not start): its tasks are rejected already.
    piscina.on('error', (error: unknown) => report('WorkerThreadTaskRunner: a worker thread failed', error));
    return piscina;
  }
}

const targets = new WeakMap<object, WorkerTarget>();

/** How the worker finds `fn`: its registered module, else its source (checked once per function). */
function targetOf(fn: (...args: never[]) => unknown, taskName: string): WorkerTarget {
  const known = targets.get(fn);
  if (known !== undefined) return known;
  const ref = workerModuleOf(fn);
  let target: WorkerTarget;
  if (ref !== undefined) target = { kind: 'module', url: ref.url, exportName: ref.exportName };
  else {
    const source = Function.prototype.toString.call(fn);
    const fix = 'register it with workerTask(fn, import.meta.url) so the worker imports its module';
    if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
      throw new WorkerTransferError(
        taskName,
        `its function is native or bound, so its source cannot be sent; ${fix}`,
      );
    }
    if (/^class\b/.test(source)) throw new WorkerTransferError(taskName, 'its function is a class');
    try {
      // Parsed, never called here: the worker compiles the same text.
      new Function('__name', `return (${source}\n);`);
    } catch (error) {
      throw new WorkerTransferError(
        taskName,
        `its function's source is not a function expression on its own (a method?); ${fix}`,
        { cause: error },
      );
    }
    target = { kind: 'source', source };
  }
  targets.set(fn, target);
  return target;
}

let entry: string | undefined;

/** The worker script next to this module, in whichever build (or source) this module is. */
function workerEntry(): string {
  if (entry !== undefined) return entry;
  const here = typeof __filename === 'string' ? __filename : thisModuleFile();
  return (entry = join(dirname(here), `worker-entry${extname(here)}`));
}

/** This module's file in an ES module build, where `__filename` does not exist, from a V8 stack frame. */
function thisModuleFile(): string {
  const prepare = Error.prepareStackTrace;
  try {
    Error.prepareStackTrace = (_error, frames) => frames;
    const frames = new Error().stack as unknown as NodeJS.CallSite[];
    const file = frames[0]?.getFileName() ?? '';
    return file.startsWith('file:') ? fileURLToPath(file) : file;
  } finally {
    Error.prepareStackTrace = prepare;
  }
}

function checkOptions(options: WorkerThreadTaskRunnerOptions) {
  const fail = (what: string, value: unknown) => {
    throw new RangeError(`WorkerThreadTaskRunner: expected ${what}, got ${String(value)}`);
  };
  const { maxThreads = availableParallelism(), minThreads = 0, idleTimeoutSeconds, execArgv } = options;
  if (!Number.isInteger(maxThreads) || maxThreads < 1)
    fail('maxThreads to be a positive integer', maxThreads);
  if (!Number.isInteger(minThreads) || minThreads < 0 || minThreads > maxThreads) {
    fail(`minThreads to be an integer from 0 to maxThreads (${maxThreads})`, minThreads);
  }
  if (
    idleTimeoutSeconds !== undefined &&
    !(typeof idleTimeoutSeconds === 'number' && idleTimeoutSeconds >= 0)
  ) {
    fail('idleTimeoutSeconds to be a non-negative number', idleTimeoutSeconds);
  }
  if (execArgv !== undefined && !(Array.isArray(execArgv) && execArgv.every((a) => typeof a === 'string'))) {
    throw new TypeError(`WorkerThreadTaskRunner: expected execArgv to be an array of strings`);
  }
  return { ...options, maxThreads, minThreads };
}
