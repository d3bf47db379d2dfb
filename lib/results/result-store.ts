import { describeValue as describe } from '../internal/describe-kind.js';
import { report } from '../internal/report.js';
import { isPlainMemoryStorage, MemoryStorage } from './memory-storage.js';
import { decodeRecord, encodeRecord, type RecordHeader } from './result-record.js';
import { ResultRecordError } from './result-record-error.js';
import { serializerName, type ResultSerializer } from './result-serializer.js';
import type { ResultStorage } from './result-storage.js';
import { shared } from '../internal/shared.js';

/**
 * @internal Who is reading or writing, for reports: a name, or an object that renders one; with
 * a `bound`, how long it waits for its storage.
 */
export type Owner = { toString(): string; readonly bound?: StorageBound };

/**
 * @internal Lets a reader or writer stop waiting for a storage that does not answer: `watch`
 * calls `giveUp` once the waiting should stop (the run's timeout passed: a TimeoutError; the run
 * ended: a {@link StorageAbandoned}), and returns a function that stops watching.
 */
export interface StorageBound {
  watch(giveUp: (error: Error) => void): () => void;
}

/** @internal Why a storage call was let go because its run ended: nothing to report. */
export class StorageAbandoned extends Error {}

/** Asked behind a guard: `instanceof` throws on a revoked Proxy, which a storage may reject with. */
function isAbandoned(error: unknown): boolean {
  try {
    return error instanceof StorageAbandoned;
  } catch {
    return false;
  }
}

/**
 * @internal `pending`, or its `bound`'s reason once that gives up first. The storage call itself
 * goes on (a storage takes no signal); its outcome is then ignored.
 */
export function within<T>(pending: Promise<T>, bound: StorageBound | undefined): Promise<T> {
  if (bound === undefined) return pending;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const stop = bound.watch((error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
    if (settled) stop();
    pending.then(
      (value) => {
        if (settled) return;
        settled = true;
        stop();
        resolve(value);
      },
      (error: unknown) => {
        if (settled) return;
        settled = true;
        stop();
        reject(error);
      },
    );
  });
}

/** @internal Where a run's result goes and how it is encoded. */
export interface ResultTarget {
  readonly storage: ResultStorage;
  readonly serializer: ResultSerializer;
}

/** @internal A stored record, read back: its header and, when decoded, its value. */
export interface StoredEntry {
  readonly header: RecordHeader;
  readonly value: unknown;
  readonly decoded: boolean;
}

// Decoded records by the identity of their bytes. A MemoryStorage hands back the very array
// it was given, so a hit on a record this process wrote (or read before) skips the checksum and
// the decoding; overwriting or deleting the key drops the array, and with it this entry.
const decodedByBytes = new WeakMap<Uint8Array, StoredEntry>();

const defaultStorage = shared('defaultStorage', (): { current?: MemoryStorage } => ({}));

/** @internal The process-wide default storage, created on first use. */
export function getDefaultStorage(): MemoryStorage {
  return (defaultStorage.current ??= new MemoryStorage());
}

/**
 * @internal Reads the record under `key`: the entry, or undefined for a miss. A record that
 * cannot be used (damaged, another serializer, a storage or serializer that throws) is reported
 * and counts as a miss: never an error. Synchronous with a plain `MemoryStorage` (see
 * {@link isPlainMemoryStorage}), a Promise otherwise.
 */
export function readEntry(
  target: ResultTarget,
  key: string,
  decode: boolean,
  owner: Owner,
): StoredEntry | undefined | Promise<StoredEntry | undefined> {
  const storage = target.storage;
  if (isPlainMemoryStorage(storage)) {
    let bytes: Uint8Array | undefined;
    try {
      bytes = storage.readNow(key);
    } catch (error) {
      readFailed(owner, key, error);
      return undefined;
    }
    return bytes === undefined ? undefined : usable(target, key, bytes, decode, owner, true);
  }
  let pending: Promise<Uint8Array | undefined>;
  try {
    pending = Promise.resolve(storage.read(key));
  } catch (error) {
    pending = Promise.reject(error);
  }
  // Never rejects: a rejection here would leave the caller waiting, and the key's lock held.
  return within(pending, owner.bound).then(
    (bytes) => (bytes === undefined ? undefined : usable(target, key, bytes, decode, owner, false)),
    (error: unknown) => {
      readFailed(owner, key, error);
      return undefined;
    },
  );
}

/** @internal Reads and decodes the record under `key`; rejects with a ResultRecordError. */
export async function loadEntry(target: ResultTarget, key: string): Promise<unknown> {
  let bytes: Uint8Array | undefined;
  try {
    bytes = await target.storage.read(key);
  } catch (error) {
    throw new ResultRecordError(key, `The stored result '${key}' could not be read: ${messageOf(error)}`, {
      cause: error,
    });
  }
  if (bytes === undefined)
    throw new ResultRecordError(key, `The stored result '${key}' is not in its storage`);
  return entryOf(target, key, bytes, true, isPlainMemoryStorage(target.storage)).value;
}

/**
 * @internal Encodes `value` and writes it under `key`. Resolves (synchronously, with a plain
 * `MemoryStorage`) to the header written, or to undefined when it could not be written: that is
 * reported, never thrown, so the run keeps its result in memory.
 */
export function writeEntry(
  target: ResultTarget,
  key: string,
  value: unknown,
  times: { readonly now: number; readonly expiration: number | null },
  keepValue: boolean,
  owner: Owner,
): RecordHeader | undefined | Promise<RecordHeader | undefined> {
  const serializer = target.serializer;
  let encoded: { bytes: Uint8Array; header: RecordHeader };
  try {
    const payload = serializer.dumps(value);
    if (!(payload instanceof Uint8Array)) {
      throw new TypeError(`its dumps() returned ${typeof payload}, expected a Uint8Array`);
    }
    encoded = encodeRecord(
      { key, serializer: serializerName(serializer), expiration: times.expiration, createdAt: times.now },
      payload,
    );
  } catch (error) {
    report(
      `${owner}: the result could not be serialized by '${serializerName(serializer)}' (${messageOf(error)}); it was not stored, so it is not cached`,
      error,
    );
    return undefined;
  }
  const { bytes, header } = encoded;
  const storage = target.storage;
  if (isPlainMemoryStorage(storage)) {
    try {
      storage.writeNow(key, bytes);
    } catch (error) {
      writeFailed(owner, key, error);
      return undefined;
    }
    if (keepValue) decodedByBytes.set(bytes, { header, value, decoded: true });
    return header;
  }
  let pending: Promise<void>;
  try {
    pending = Promise.resolve(storage.write(key, bytes));
  } catch (error) {
    pending = Promise.reject(error);
  }
  // Never rejects (see readEntry).
  return within(pending, owner.bound).then(
    () => header,
    (error: unknown) => {
      writeFailed(owner, key, error);
      return undefined;
    },
  );
}

function usable(
  target: ResultTarget,
  key: string,
  bytes: Uint8Array,
  decode: boolean,
  owner: Owner,
  remember: boolean,
): StoredEntry | undefined {
  try {
    return entryOf(target, key, bytes, decode, remember);
  } catch (error) {
    report(`${owner}: ${messageOf(error)}; treating it as a cache miss`, error);
    return undefined;
  }
}

function entryOf(
  target: ResultTarget,
  key: string,
  bytes: Uint8Array,
  decode: boolean,
  remember: boolean,
): StoredEntry {
  const name = serializerName(target.serializer);
  const known = decodedByBytes.get(bytes);
  if (known !== undefined && known.header.key === key && known.header.serializer === name) {
    if (known.decoded || !decode) return known;
  }
  const { header, payload } = decodeRecord(key, bytes);
  if (header.serializer !== name) {
    throw new ResultRecordError(
      key,
      `The stored result '${key}' was written by serializer '${header.serializer}', not '${name}'`,
    );
  }
  if (!decode) return { header, value: undefined, decoded: false };
  let value: unknown;
  try {
    value = target.serializer.loads(payload);
  } catch (error) {
    throw new ResultRecordError(
      key,
      `The stored result '${key}' could not be decoded by serializer '${name}': ${messageOf(error)}`,
      { cause: error },
    );
  }
  const entry: StoredEntry = { header, value, decoded: true };
  if (remember) decodedByBytes.set(bytes, entry);
  return entry;
}

function readFailed(owner: Owner, key: string, error: unknown): void {
  if (isAbandoned(error)) return;
  report(
    `${owner}: reading the stored result '${key}' failed (${messageOf(error)}); treating it as a cache miss`,
    error,
  );
}

function writeFailed(owner: Owner, key: string, error: unknown): void {
  if (isAbandoned(error)) return;
  report(
    `${owner}: writing the result to '${key}' failed (${messageOf(error)}); the run keeps its result in memory, but it is not cached`,
    error,
  );
}

/**
 * @internal An error's message, or the value described: never throws, whatever a storage or a
 * serializer rejected with (`Object.create(null)`, a revoked Proxy, a throwing `message` getter).
 */
export function messageOf(error: unknown): string {
  try {
    if (error instanceof Error) {
      const message: unknown = error.message;
      if (typeof message === 'string') return message;
    }
  } catch {
    // described below
  }
  try {
    return describe(error);
  } catch {
    return 'a value that cannot be described';
  }
}
