import { assertKnownOptions, optionKeys } from '../internal/validate.js';
import {
  asyncScheduler,
  Observable,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import { locksFor, type KeyLocks, type LockWaiter } from '../cache/key-lock.js';
import { expirationAt, type CacheExpiration } from '../cache/expiration.js';
import { isThenable } from '../internal/is-thenable.js';
import { describeValue as describe } from '../internal/describe-kind.js';
import { jsonSerializer } from '../results/json-serializer.js';
import { isPlainMemoryStorage } from '../results/memory-storage.js';
import type { RecordHeader } from '../results/result-record.js';
import { isResultSerializer, type ResultSerializer } from '../results/result-serializer.js';
import { isResultStorage, type ResultStorage } from '../results/result-storage.js';
import {
  getDefaultStorage,
  readEntry,
  writeEntry,
  type ResultTarget,
  type Owner,
  type StoredEntry,
} from '../results/result-store.js';
import { FnSubscriber } from '../internal/fn-subscriber.js';

/** Options of {@link cacheResult}. */
export interface CacheResultConfig {
  /**
   * The entry's key, or a function computing it for each subscription; `null` or `undefined`
   * from the function means "do not cache this one" (the source is subscribed as is).
   */
  key: string | (() => string | null | undefined);
  /** Where entries live. @default the process-wide `MemoryStorage` (the engine's default too) */
  storage?: ResultStorage;
  /** How values become bytes. @default 'json' */
  serializer?: 'json' | ResultSerializer;
  /** How long an entry stays valid: seconds or a date-fns `Duration`. @default never expires */
  expiration?: CacheExpiration;
  /** Compute and overwrite even when a valid entry exists. @default false */
  refresh?: boolean;
  /** The clock expiry is measured on. @default asyncScheduler */
  scheduler?: SchedulerLike;
}

/**
 * Caches the last value of a cold source under a key: the first subscription subscribes to the
 * source, stores its last value when it completes, and emits it; later subscriptions with that
 * key, until the entry expires, emit the stored value without subscribing to the source at all.
 * Subscriptions that arrive while the key's value is being computed wait for it (one
 * computation per key at a time) and then read it; when that computation errors or is
 * unsubscribed, the next waiter computes. It always emits one value (or none, when the source
 * completes empty: nothing is stored), then completes; source errors pass through and store
 * nothing. The task option `cachePolicy` runs on this operator's machinery.
 * @example
 * ```ts
 * const user$ = defer(() => fetchUser(42)).pipe(cacheResult({ key: 'user-42', expiration: { minutes: 5 } }));
 * await lastValueFrom(user$); // fetched
 * await lastValueFrom(user$); // from the cache
 * ```
 */
export function cacheResult<T>(config: CacheResultConfig): MonoTypeOperatorFunction<T> {
  assertKnownOptions('cacheResult', config, CACHE_KEYS);
  const { key, expiration, refresh = false, scheduler = asyncScheduler } = config;
  if (!(typeof key === 'function' || (typeof key === 'string' && key !== ''))) {
    throw new TypeError(
      `cacheResult: expected key to be a non-empty string or a function, got ${describe(key)}`,
    );
  }
  if (config.storage !== undefined && !isResultStorage(config.storage)) {
    throw new TypeError('cacheResult: expected storage to be a ResultStorage (read, write, exists, delete)');
  }
  const serializer = config.serializer ?? 'json';
  if (serializer !== 'json' && !isResultSerializer(serializer)) {
    throw new TypeError("cacheResult: expected serializer to be 'json' or a ResultSerializer (dumps, loads)");
  }
  assertExpiration(expiration);
  if (typeof refresh !== 'boolean')
    throw new TypeError(`cacheResult: expected refresh to be a boolean, got ${describe(refresh)}`);
  return (source) =>
    new Observable<T>((subscriber) => {
      let entryKey: string | null | undefined;
      try {
        entryKey = typeof key === 'function' ? key() : key;
        if (
          entryKey !== null &&
          entryKey !== undefined &&
          (typeof entryKey !== 'string' || entryKey === '')
        ) {
          throw new TypeError(
            `cacheResult: the key function returned ${describe(entryKey)}, expected a non-empty string or null`,
          );
        }
      } catch (error) {
        subscriber.error(error);
        return undefined;
      }
      if (entryKey === null || entryKey === undefined) return source.subscribe(subscriber);
      const target: ResultTarget = {
        storage: config.storage ?? getDefaultStorage(),
        serializer: serializer === 'json' ? jsonSerializer : serializer,
      };
      let inner: Subscription | undefined;
      const gate = new CacheGate(target, entryKey, scheduler, refresh, true, `cacheResult '${entryKey}'`, {
        onHit: (entry) => {
          subscriber.next(entry.value as T);
          subscriber.complete();
        },
        onMiss: () => {
          let last: { value: T } | undefined;
          inner = source.subscribe(
            new FnSubscriber<T>(
              (value) => (last = { value }),
              (error) => {
                gate.close();
                subscriber.error(error);
              },
              () => {
                if (last === undefined) {
                  gate.close();
                  subscriber.complete();
                  return;
                }
                const { value } = last;
                const now = scheduler.now();
                const times = {
                  now,
                  expiration: expiration === undefined ? null : expirationAt(now, expiration),
                };
                const emit = () => {
                  gate.close();
                  if (subscriber.closed) return;
                  subscriber.next(value);
                  subscriber.complete();
                };
                const written = gate.store(value, times, true);
                if (isThenable(written)) void written.then(emit);
                else emit();
              },
            ),
          );
        },
      });
      gate.open();
      return () => {
        inner?.unsubscribe();
        gate.close();
      };
    });
}

/** @internal What a {@link CacheGate} tells its owner. */
export interface GateListener {
  /** A valid entry was found; the gate is closed. */
  onHit(entry: StoredEntry): void;
  /** No valid entry (or `refresh`): the gate holds the key's lock until it is closed. */
  onMiss(): void;
}

const IDLE = 0;
const WAITING = 1;
const READING = 2;
const HOLDING = 3;
const WRITING = 4;
const CLOSED = 5;

/**
 * @internal One passage through a cache entry: look the key up under its in-flight lock, then
 * either hit (closed at once) or miss (holding the lock: compute, {@link store}, {@link close}).
 * {@link cacheResult} and the engine's task runs share it. With a plain `MemoryStorage` and a
 * free lock the whole lookup is synchronous and a hit takes no lock at all.
 */
export class CacheGate implements LockWaiter {
  private phase = IDLE;
  private locks: KeyLocks | undefined = undefined;
  private closeWhenWritten = false;

  constructor(
    readonly target: ResultTarget,
    readonly key: string,
    private readonly scheduler: SchedulerLike,
    private readonly refresh: boolean,
    private readonly decode: boolean,
    private readonly owner: Owner,
    private readonly listener: GateListener,
  ) {}

  /** Looks the key up; calls the listener now or later, or never once closed. */
  open(): void {
    if (this.phase !== IDLE) return;
    const { target, key } = this;
    const locks = (this.locks ??= locksFor(target.storage));
    if (!this.refresh && isPlainMemoryStorage(target.storage) && !locks.isHeld(key)) {
      const entry = readEntry(target, key, this.decode, this.owner) as StoredEntry | undefined;
      if (entry !== undefined && this.fresh(entry)) {
        this.phase = CLOSED;
        this.listener.onHit(entry);
        return;
      }
      locks.acquire(key, this);
      this.phase = HOLDING;
      this.listener.onMiss();
      return;
    }
    if (!locks.acquire(key, this)) {
      this.phase = WAITING;
      return;
    }
    if (this.refresh) {
      this.phase = HOLDING;
      this.listener.onMiss();
      return;
    }
    this.phase = READING;
    const read = readEntry(target, key, this.decode, this.owner);
    if (isThenable(read)) void read.then((entry) => this.afterRead(entry));
    else this.afterRead(read);
  }

  /** Whether the gate waits for the key's lock or for its storage. */
  get pending(): boolean {
    return this.phase === WAITING || this.phase === READING;
  }

  /** @internal The lock was released: look again. */
  wake(): void {
    if (this.phase !== WAITING) return;
    this.phase = IDLE;
    this.open();
  }

  /**
   * Writes `value` as the entry (after a miss). Resolves to the header written, or to undefined
   * when it could not be (reported); synchronous with a plain `MemoryStorage`. The lock stays
   * held until the write has settled, even if {@link close} is called meanwhile.
   */
  store(
    value: unknown,
    times: { readonly now: number; readonly expiration: number | null },
    keepValue: boolean,
  ): RecordHeader | undefined | Promise<RecordHeader | undefined> {
    const written = writeEntry(this.target, this.key, value, times, keepValue, this.owner);
    if (!isThenable(written)) return written;
    this.phase = WRITING;
    return written.then((header) => {
      this.phase = HOLDING;
      if (this.closeWhenWritten) this.close();
      return header;
    });
  }

  /** Releases the lock (waking those waiting) or stops waiting for it. Idempotent. */
  close(): void {
    const { locks, key } = this;
    switch (this.phase) {
      case WAITING:
        locks!.leave(key, this);
        break;
      case READING:
      case HOLDING:
        this.phase = CLOSED;
        locks!.release(key);
        return;
      case WRITING:
        this.closeWhenWritten = true;
        return;
    }
    this.phase = CLOSED;
  }

  private afterRead(entry: StoredEntry | undefined): void {
    if (this.phase !== READING) return;
    if (entry !== undefined && this.fresh(entry)) {
      this.phase = CLOSED;
      this.locks!.release(this.key);
      this.listener.onHit(entry);
      return;
    }
    this.phase = HOLDING;
    this.listener.onMiss();
  }

  private fresh(entry: StoredEntry): boolean {
    const expiration = entry.header.expiration;
    return expiration === null || this.scheduler.now() < expiration;
  }
}

function assertExpiration(expiration: unknown): void {
  if (expiration === undefined) return;
  if (typeof expiration === 'number') {
    if (expiration >= 0 && Number.isFinite(expiration)) return;
  } else if (typeof expiration === 'object' && expiration !== null) {
    const values = Object.entries(expiration);
    const units = ['years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds'];
    if (
      values.every(
        ([unit, v]) =>
          units.includes(unit) &&
          (v === undefined || (typeof v === 'number' && v >= 0 && Number.isFinite(v))),
      )
    )
      return;
  }
  throw new TypeError(
    `cacheResult: expected expiration to be a non-negative number of seconds or a date-fns Duration, got ${describe(expiration)}`,
  );
}

const CACHE_KEYS = optionKeys<CacheResultConfig>({
  key: true,
  storage: true,
  serializer: true,
  expiration: true,
  refresh: true,
  scheduler: true,
});
