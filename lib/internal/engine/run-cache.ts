import { expirationAt } from '../../cache/expiration.js';
import type { CacheKeyContext } from '../../cache/cache-key-context.js';
import type { ResultPlan } from '../../cache/result-plan.js';
import { runCacheKey } from '../../cache/run-key.js';
import { errorMessage, isError } from '../describe-kind.js';
import { CacheGate, type GateListener } from '../../operators/cache-result.js';
import { jsonSerializer } from '../../results/json-serializer.js';
import type { RecordHeader } from '../../results/result-record.js';
import { loadResultReferences, ResultReference } from '../../results/result-reference.js';
import type { ResultSerializer } from '../../results/result-serializer.js';
import type { ResultStorage } from '../../results/result-storage.js';
import {
  getDefaultStorage,
  StorageAbandoned,
  within,
  writeEntry,
  type ResultTarget,
  type StorageBound,
  type StoredEntry,
} from '../../results/result-store.js';
import { TimeoutError } from '../../errors/timeout-error.js';
import { makeState } from '../../state/create-state.js';
import type { State, StateDetails } from '../../state/schema.js';
import { nowDate } from '../clock.js';
import type { Frame } from '../context.js';
import { isThenable } from '../is-thenable.js';
import type { Definition } from '../options.js';
import { report } from '../report.js';
import type { RunInfo } from '../run-scope.js';
import { timerQueueFor, type TimerEntry, type TimerTarget } from '../timer-queue.js';
import { unpinNow } from '../timestamp.js';
import { shared } from '../shared.js';

/** @internal The run driver, as its cache step sees it. */
export interface CacheHost {
  readonly def: Definition;
  readonly frame: Frame;
  readonly info: RunInfo;
  readonly ended: boolean;
  /** Starts the attempts (after an asynchronous miss). */
  proceed(): void;
  /** Ends the run with `state`: Cached, Completed once stored, or Failed. */
  endWith(state: State): void;
  /** Replaces the run's arguments (with loaded results). */
  resolveArguments(args: readonly unknown[]): void;
}

/** Result settings a flow run passes down to the runs inside it. */
interface Defaults {
  readonly storage: ResultStorage | undefined;
  readonly serializer: ResultSerializer | undefined;
  readonly cacheResultInMemory: boolean | undefined;
}

// Active flow runs whose result settings (own or inherited) the runs inside them use, by id.
const flowDefaults = shared('flowDefaults', () => new Map<string, Defaults>());

/**
 * @internal Starts a run's cache step, right before its attempts: loads results its upstream
 * runs left in storage, looks the run up in its cache, registers a flow run's result settings
 * for the runs inside it. Returns null when there is nothing to do. After it returns, the run has
 * ended (a hit), or `waiting` is true (it stays Pending until the step calls `proceed()`), or the
 * attempts start now.
 */
export function enterRunCache(
  host: CacheHost,
  owner: unknown,
  args: readonly unknown[],
  referencesInArgs: boolean,
): RunCache | null {
  const plan = host.def.results;
  if (referencesInArgs) {
    const step = new RunCache(host, owner, plan);
    step.loadArguments(args);
    return step;
  }
  if (plan === undefined) return null;
  if (plan.kind === 'flow' && !plan.persist && plan.storage === undefined && plan.serializer === undefined) {
    if (plan.cacheResultInMemory === undefined && flowDefaults.size === 0) return null;
  }
  const step = new RunCache(host, owner, plan);
  step.lookUp();
  return step;
}

/**
 * @internal One run's passage through its cache and result storage (see {@link enterRunCache}):
 * a {@link CacheGate} under the run's cache key, and the write of its result when it completes.
 */
export class RunCache implements GateListener, StorageBound {
  /** True while the run waits: for its key's lock, its storage, or references to load. */
  waiting = false;
  private gate: CacheGate | undefined = undefined;
  private target: ResultTarget | undefined = undefined;
  private key: string | null = null;
  private keep = true;
  private persist = false;
  private opening = false;
  private registered: string | undefined = undefined;
  /** The storage calls being waited for (see {@link watch}). */
  private watches: Set<Watch> | undefined = undefined;
  /** Let go of once the run has ended. */
  private released = false;
  /** The `resultStorageKey` could not be rendered (reported): the result is not stored. */
  private unrenderable = false;

  constructor(
    private readonly host: CacheHost,
    private readonly owner: unknown,
    private readonly plan: ResultPlan | undefined,
  ) {}

  /** @internal How long storage calls of this run are waited for: the result store asks. */
  get bound(): StorageBound {
    return this;
  }

  /**
   * @internal A storage call began: `giveUp` is called when the run's `timeoutSeconds` passes
   * first (each call gets the whole of it, as each attempt does), or when the run ends (cancelled
   * meanwhile). The storage's own promise may never settle; the run does not wait for it.
   */
  watch(giveUp: (error: Error) => void): () => void {
    if (this.released) {
      giveUp(new StorageAbandoned('the run has ended'));
      return noop;
    }
    const { def, frame } = this.host;
    const watch = new Watch(giveUp, def.timeoutSeconds);
    if (def.timeoutSeconds > 0) {
      const queue = timerQueueFor(frame.clock.scheduler);
      watch.queue = queue;
      watch.entry = queue.add(def.timeoutSeconds * 1000, watch);
    }
    (this.watches ??= new Set()).add(watch);
    return () => {
      watch.stop();
      this.watches?.delete(watch);
    };
  }

  /** `task 'load' (run 'load-a3f')`, for reports. */
  toString(): string {
    const { def, info } = this.host;
    return `${def.kind} '${def.name}' (run '${info.name}')`;
  }

  /** Loads the results upstream runs left in storage, then looks up as usual. */
  loadArguments(args: readonly unknown[]): void {
    const host = this.host;
    this.waiting = true;
    within(loadResultReferences(args), this).then(
      (loaded) => {
        if (host.ended) return;
        host.resolveArguments(loaded as unknown[]);
        this.waiting = false;
        if (this.plan !== undefined) this.lookUp();
        if (!this.waiting && !host.ended) host.proceed();
      },
      (error: unknown) => {
        if (host.ended) return;
        const message = `Could not load the result of an upstream run: ${errorMessage(error)}`;
        host.endWith(
          makeState('FAILED', 'Failed', nowDate(host.frame.clock), {
            error: asError(error, message),
            message,
          }),
        );
      },
    );
  }

  /** Resolves the run's settings and key, and opens its gate. */
  lookUp(): void {
    const { host, plan } = this;
    const frame = host.frame;
    const parent = flowDefaults.size === 0 ? undefined : flowDefaults.get(frame.run?.flowRun?.id ?? '');
    const storage = plan!.storage ?? parent?.storage;
    const serializer = plan!.serializer ?? parent?.serializer;
    const keep = plan!.cacheResultInMemory ?? parent?.cacheResultInMemory;
    this.target =
      parent === undefined && plan!.kind === 'task'
        ? (plan!.memo.target ??= {
            storage: storage ?? getDefaultStorage(),
            serializer: serializer ?? jsonSerializer,
          })
        : { storage: storage ?? getDefaultStorage(), serializer: serializer ?? jsonSerializer };
    this.keep = keep ?? true;
    this.persist = plan!.persist;
    if (plan!.kind === 'flow') {
      if (storage !== undefined || serializer !== undefined || keep !== undefined) {
        flowDefaults.set(host.info.id, { storage, serializer, cacheResultInMemory: keep });
        this.registered = host.info.id;
      }
      return;
    }
    if (plan!.key === undefined) return;
    let key: string | null;
    try {
      unpinNow(); // a cacheKeyFn or a toJSON() is user code: the clock is read afresh after it
      key = runCacheKey(plan!, host.info, frame.run?.flowRun, this.owner as CacheKeyContext['task']);
    } catch (error) {
      if (plan!.key.kind === 'template') this.unrenderable = true;
      const message = errorMessage(error);
      report(
        `${this.toString()}: ${message}${message.endsWith('.') ? '' : '.'} The run goes on without the cache.`,
        error,
      );
      return;
    }
    if (key === null) return;
    this.key = key;
    const gate = (this.gate = new CacheGate(
      this.target,
      key,
      frame.clock.scheduler,
      plan!.refresh,
      this.keep,
      this,
      this,
    ));
    this.opening = true;
    gate.open();
    this.opening = false;
    if (!host.ended && gate.pending) this.waiting = true;
  }

  /** @internal A valid entry: the run ends Cached. */
  onHit(entry: StoredEntry): void {
    this.waiting = false;
    const host = this.host;
    const key = this.key!;
    host.endWith(
      makeState('COMPLETED', 'Cached', nowDate(host.frame.clock), {
        data: this.keep ? entry.value : new ResultReference(key, this.target!),
        details: cacheDetails(key, entry.header.expiration),
      }),
    );
  }

  /** @internal No valid entry: the run computes (holding the key's lock). */
  onMiss(): void {
    if (this.opening) return;
    this.waiting = false;
    const host = this.host;
    if (!host.ended) host.proceed();
  }

  /** The attempts completed: store the result if the run persists it, then end the run. */
  completed(state: State): void {
    const host = this.host;
    if (!this.persist) {
      host.endWith(state);
      return;
    }
    const plan = this.plan!;
    const key = this.key;
    if (
      plan.kind === 'task' &&
      key === null &&
      this.keep &&
      plan.storageKey === undefined &&
      !plan.persistExplicit
    ) {
      host.endWith(state); // no key (none computed, or cacheKeyFn said null): nothing could find it
      return;
    }
    const now = host.frame.clock.scheduler.now();
    const times = {
      now,
      expiration: key !== null && plan.expiration !== undefined ? expirationAt(now, plan.expiration) : null,
    };
    let storageKey = key ?? host.info.id;
    if (key === null && plan.storageKey !== undefined) {
      if (this.unrenderable) {
        host.endWith(state);
        return;
      }
      try {
        storageKey = plan.storageKey.render(host.info.parameters);
      } catch (error) {
        // As a key that cannot be computed: reported, and the result is kept in memory only.
        report(`${this.toString()}: ${errorMessage(error)}. The result is not stored.`, error);
        host.endWith(state);
        return;
      }
    }
    const value = state.data;
    const written =
      this.gate !== undefined
        ? this.gate.store(value, times, this.keep)
        : writeEntry(this.target!, storageKey, value, times, this.keep, this);
    if (isThenable(written)) void written.then((header) => this.stored(state, storageKey, header));
    else this.stored(state, storageKey, written);
  }

  /** Releases the key's lock, or stops waiting for it; unregisters a flow run's settings. */
  release(): void {
    this.released = true;
    this.gate?.close();
    if (this.registered !== undefined) flowDefaults.delete(this.registered);
    const watches = this.watches;
    if (watches === undefined) return;
    this.watches = undefined;
    for (const watch of watches) watch.abandon();
  }

  private stored(state: State, storageKey: string, header: RecordHeader | undefined): void {
    const host = this.host;
    if (host.ended) return;
    // Not stored (reported): the run keeps its result in memory and completes as computed.
    if (header === undefined || (this.keep && this.key === null)) {
      host.endWith(state);
      return;
    }
    host.endWith(
      makeState('COMPLETED', 'Completed', nowDate(host.frame.clock), {
        data: this.keep ? state.data : new ResultReference(storageKey, this.target!),
        details: this.key === null ? undefined : cacheDetails(this.key, header.expiration),
      }),
    );
  }
}

function cacheDetails(cacheKey: string, expiration: number | null): StateDetails {
  return expiration === null ? { cacheKey } : { cacheKey, cacheExpiration: new Date(expiration) };
}

/** One storage call a run waits for, with its timeout on the shared timer queue. */
class Watch implements TimerTarget {
  queue: ReturnType<typeof timerQueueFor> | undefined = undefined;
  entry: TimerEntry | undefined = undefined;

  constructor(
    private readonly giveUp: (error: Error) => void,
    private readonly timeoutSeconds: number,
  ) {}

  /** @internal The run's timeout passed first. */
  onTimer(): void {
    this.entry = undefined;
    this.giveUp(new TimeoutError(this.timeoutSeconds, 'Waiting for the result storage'));
  }

  abandon(): void {
    this.stop();
    this.giveUp(new StorageAbandoned('the run has ended'));
  }

  stop(): void {
    if (this.entry !== undefined) this.queue!.cancel(this.entry);
    this.entry = undefined;
  }
}

function noop(): void {}

/** `error` when it is an Error (asked behind a guard: it may be a revoked Proxy), else a new one. */
function asError(error: unknown, message: string): Error {
  return isError(error) ? error : new Error(message, { cause: error });
}
