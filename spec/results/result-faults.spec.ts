import {
  INPUTS,
  isResultRecordError,
  isResultReference,
  MemoryStorage,
  task,
  type ResultSerializer,
  type ResultStorage,
} from '../../lib/index.node';
import { captureReports, collect, names, outcome } from '../engine/support';

/** A storage that delegates to a MemoryStorage, with switches to make reads or writes fail. */
class FaultyStorage implements ResultStorage {
  readonly inner = new MemoryStorage();
  failReads: 'reject' | 'throw' | false = false;
  failWrites = false;
  read(key: string) {
    if (this.failReads === 'throw') throw new Error('disk on fire');
    if (this.failReads === 'reject') return Promise.reject(new Error('connection reset'));
    return this.inner.read(key);
  }
  write(key: string, data: Uint8Array) {
    if (this.failWrites) return Promise.reject(new Error('disk full'));
    return this.inner.write(key, data);
  }
  exists(key: string) {
    return this.inner.exists(key);
  }
  delete(key: string) {
    return this.inner.delete(key);
  }
}

/** Report messages, with run names made stable. */
const messages = (reports: { message: string }[]) =>
  reports.map((r) => r.message.replace(/run '[\w-]+'/g, "run '…'").replace(/'[0-9a-f]{64}'/g, "'<key>'"));

describe('result storage faults', () => {
  let reports: ReturnType<typeof captureReports>;
  beforeEach(() => {
    reports = captureReports();
  });
  afterEach(() => reports.restore());

  it('should treat a corrupt or truncated record as a miss, report it, recompute and overwrite it', async () => {
    const storage = new MemoryStorage();
    let calls = 0;
    const square = task({ name: 'square', cachePolicy: INPUTS, resultStorage: storage }, (n: number) => {
      calls++;
      return n * n;
    });
    const first = await collect(square.run$(3));
    const key = first.at(-1)!.details!.cacheKey!;
    const good = (await storage.read(key))!;
    await storage.write(key, new TextEncoder().encode('garbage'));
    expect(names(await collect(square.run$(3)))).toEqual(['Pending', 'Running', 'Completed']);
    await storage.write(key, good.slice(0, good.length - 3));
    expect(await square(3)).toBe(9);
    expect(names(await collect(square.run$(3)))).toEqual(['Pending', 'Cached']);
    expect(calls).toBe(3);
    expect(messages(reports.reports)).toMatchInlineSnapshot(`
     [
       "task 'square' (run '…'): The stored result '<key>' is truncated or not an rxflow result record; treating it as a cache miss",
       "task 'square' (run '…'): The stored result '<key>' is truncated or damaged: its checksum does not match; treating it as a cache miss",
     ]
    `);
    expect(reports.reports.every((r) => isResultRecordError(r.error))).toBe(true);
  });

  it('should complete with the value, store nothing and report, when the serializer throws while writing', async () => {
    const storage = new MemoryStorage();
    const broken: ResultSerializer = {
      name: 'broken',
      dumps: () => {
        throw new Error('cannot encode');
      },
      loads: () => undefined,
    };
    let calls = 0;
    const load = task(
      { name: 'load', cachePolicy: INPUTS, resultStorage: storage, resultSerializer: broken },
      (n: number) => n + ++calls,
    );
    const states = await collect(load.run$(1));
    expect(names(states)).toEqual(['Pending', 'Running', 'Completed']);
    expect(states.at(-1)?.data).toBe(2);
    expect(states.at(-1)?.details).toBeUndefined();
    expect(storage.size).toBe(0);
    expect(await load(1)).toBe(3);
    const json = task({ name: 'json', cachePolicy: INPUTS, resultStorage: storage }, (n: number) => ({
      ratio: n / 0,
    }));
    expect(await json(1)).toEqual({ ratio: Infinity });
    expect(storage.size).toBe(0);
    expect(messages(reports.reports)).toMatchInlineSnapshot(`
     [
       "task 'load' (run '…'): the result could not be serialized by 'broken' (cannot encode); it was not stored, so it is not cached",
       "task 'load' (run '…'): the result could not be serialized by 'broken' (cannot encode); it was not stored, so it is not cached",
       "task 'json' (run '…'): the result could not be serialized by 'json' (The 'json' result serializer cannot store Infinity at result.ratio; return plain data, or give the task a resultSerializer that can); it was not stored, so it is not cached",
     ]
    `);
  });

  it('should recompute, reporting it, when the serializer throws while reading', async () => {
    const storage = new MemoryStorage();
    const failing: ResultSerializer = {
      name: 'text',
      dumps: (value) => new TextEncoder().encode(String(value)),
      loads: () => {
        throw new Error('cannot decode');
      },
    };
    let calls = 0;
    // Not a plain MemoryStorage: every hit reads and decodes the bytes again.
    const storageView: ResultStorage = {
      read: (k) => storage.read(k),
      write: (k, d) => storage.write(k, d),
      exists: (k) => storage.exists(k),
      delete: (k) => storage.delete(k),
    };
    const echo = task(
      { name: 'echo', cachePolicy: INPUTS, resultStorage: storageView, resultSerializer: failing },
      (s: string) => `${s}${++calls}`,
    );
    expect([await echo('a'), await echo('a')]).toEqual(['a1', 'a2']);
    expect(messages(reports.reports)).toMatchInlineSnapshot(`
     [
       "task 'echo' (run '…'): The stored result '<key>' could not be decoded by serializer 'text': cannot decode; treating it as a cache miss",
     ]
    `);
  });

  it('should recompute when the storage rejects or throws on read, and keep the old record when a write is rejected', async () => {
    const storage = new FaultyStorage();
    let calls = 0;
    const fetchRate = task(
      { name: 'fetch-rate', cachePolicy: INPUTS, resultStorage: storage },
      (pair: string) => `${pair} ${++calls}`,
    );
    expect(await fetchRate('EURUSD')).toBe('EURUSD 1');
    storage.failReads = 'reject';
    expect(await fetchRate('EURUSD')).toBe('EURUSD 2');
    storage.failReads = 'throw';
    expect(await fetchRate('EURUSD')).toBe('EURUSD 3');
    storage.failReads = false;
    expect(await fetchRate('EURUSD')).toBe('EURUSD 3');

    storage.failWrites = true;
    const refresh = fetchRate.withOptions({ refreshCache: true });
    const states = await collect(refresh.run$('EURUSD'));
    expect(names(states)).toEqual(['Pending', 'Running', 'Completed']);
    expect(states.at(-1)?.data).toBe('EURUSD 4');
    storage.failWrites = false;
    // The rejected write changed nothing: the last good record is still there, whole.
    expect(names(await collect(fetchRate.run$('EURUSD')))).toEqual(['Pending', 'Cached']);
    expect(await fetchRate('EURUSD')).toBe('EURUSD 3');
    expect(messages(reports.reports)).toMatchInlineSnapshot(`
     [
       "task 'fetch-rate' (run '…'): reading the stored result '<key>' failed (connection reset); treating it as a cache miss",
       "task 'fetch-rate' (run '…'): reading the stored result '<key>' failed (disk on fire); treating it as a cache miss",
       "task 'fetch-rate' (run '…'): writing the result to '<key>' failed (disk full); the run keeps its result in memory, but it is not cached",
     ]
    `);
  });

  it('should keep the value in memory when a reference cannot be written, and reject result() when its record is gone', async () => {
    const storage = new FaultyStorage();
    const big = task(
      { name: 'big', cachePolicy: INPUTS, cacheResultInMemory: false, resultStorage: storage },
      (n: number) => ({ n }),
    );
    storage.failWrites = true;
    const kept = await collect(big.run$(1));
    expect(kept.at(-1)?.data).toEqual({ n: 1 });
    storage.failWrites = false;
    const stored = await collect(big.run$(2));
    const reference = stored.at(-1)!.data;
    expect(isResultReference(reference)).toBe(true);
    await storage.delete(stored.at(-1)!.details!.cacheKey!);
    const loaded = await outcome((reference as unknown as { load(): Promise<unknown> }).load());
    expect(loaded.ok).toBe(false);
    expect(isResultRecordError((loaded as { error: unknown }).error)).toBe(true);
    expect((loaded as { error: Error }).error.message.replace(/[0-9a-f]{64}/, '<key>')).toBe(
      "The stored result '<key>' is not in its storage",
    );
  });
});
