import { firstValueFrom, filter } from 'rxjs';
import {
  getClient,
  INPUTS,
  isTimeoutError,
  MemoryStorage,
  runStates$,
  task,
  type ResultStorage,
} from '../../lib/index.node';
import { locksFor } from '../../lib/cache/key-lock';
import { captureReports, collect, names, withVirtualTime } from '../engine/support';
import { hostileValues } from '../internal/hostile-values';

type Mode = 'ok' | 'reject-null-proto' | 'reject-revoked' | 'reject-unreadable-error' | 'hang';

/** A MemoryStorage whose reads and writes can reject with odd values or never settle. */
class OddStorage implements ResultStorage {
  readonly inner = new MemoryStorage();
  reads: Mode = 'ok';
  writes: Mode = 'ok';
  read(key: string) {
    return this.act(this.reads, () => this.inner.read(key));
  }
  write(key: string, data: Uint8Array) {
    return this.act(this.writes, () => this.inner.write(key, data));
  }
  exists(key: string) {
    return this.inner.exists(key);
  }
  delete(key: string) {
    return this.inner.delete(key);
  }
  private act<T>(mode: Mode, ok: () => Promise<T>): Promise<T> {
    switch (mode) {
      case 'ok':
        return ok();
      case 'reject-null-proto':
        return Promise.reject(Object.create(null) as object); // String() of it throws
      case 'reject-revoked': {
        const { proxy, revoke } = Proxy.revocable({}, {});
        revoke();
        return Promise.reject(proxy); // instanceof, String() and property reads of it throw
      }
      case 'reject-unreadable-error':
        return Promise.reject(hostileValues()['an Error with throwing name and message getters']);
      case 'hang':
        return new Promise<T>(() => undefined);
    }
  }
}

const messages = (reports: { message: string }[]) =>
  reports.map((r) => r.message.replace(/run '[\w-]+'/g, "run '…'").replace(/'[0-9a-f]{64}'/g, "'<key>'"));

describe('a storage that rejects oddly or never answers', () => {
  let reports: ReturnType<typeof captureReports>;
  beforeEach(() => {
    reports = captureReports();
  });
  afterEach(() => reports.restore());

  it.each<[Mode, string]>([
    ['reject-null-proto', 'Non-Error thrown: {}'],
    ['reject-revoked', 'Non-Error thrown: [unreadable object]'],
    ['reject-unreadable-error', 'Error: (its message could not be read)'],
  ])(
    'should end the run, describe the error and free the key when a read or a write rejects (%s)',
    async (mode, described) => {
      const storage = new OddStorage();
      let calls = 0;
      const double = task({ name: 'double', cachePolicy: INPUTS, resultStorage: storage }, (n: number) => {
        calls++;
        return n * 2;
      });
      storage.reads = mode;
      expect(names(await collect(double.run$(1)))).toEqual(['Pending', 'Running', 'Completed']);
      expect(locksFor(storage).size).toBe(0);
      storage.reads = 'ok';
      storage.writes = mode;
      expect(await double(2)).toBe(4);
      expect(locksFor(storage).size).toBe(0);
      // Later runs with those keys are not stuck behind a lock: 1 was stored, 2 was not.
      storage.writes = 'ok';
      expect(await Promise.all([double(1), double(2)])).toEqual([2, 4]);
      expect(calls).toBe(3);
      expect(names(await collect(double.run$(2)))).toEqual(['Pending', 'Cached']);
      // Described by the one throw-proof describer.
      expect(messages(reports.reports)).toEqual([
        `task 'double' (run '…'): reading the stored result '<key>' failed (${described}); treating it as a cache miss`,
        `task 'double' (run '…'): writing the result to '<key>' failed (${described}); the run keeps its result in memory, but it is not cached`,
      ]);
    },
  );

  it('should give up a read that never settles after the run\u2019s timeoutSeconds: a reported miss, the run computes', async () => {
    await withVirtualTime(async () => {
      const storage = new OddStorage();
      storage.reads = 'hang';
      const slowStore = task(
        { name: 'slowStore', cachePolicy: INPUTS, timeoutSeconds: 5, resultStorage: storage },
        (n: number) => n + 1,
      );
      const states = await collect(slowStore.run$(1));
      expect(names(states)).toEqual(['Pending', 'Running', 'Completed']);
      expect(states[1]!.timestamp.getTime() - states[0]!.timestamp.getTime()).toBe(5_000);
      expect(locksFor(storage).size).toBe(0);
      expect(messages(reports.reports)).toEqual([
        "task 'slowStore' (run '…'): reading the stored result '<key>' failed (Waiting for the result storage timed out after 5 seconds); treating it as a cache miss",
      ]);
      expect(isTimeoutError(reports.reports[0]!.error)).toBe(true);
    });
  });

  it('should give up a write that never settles after the run\u2019s timeoutSeconds: Completed in memory, the key freed', async () => {
    await withVirtualTime(async () => {
      const storage = new OddStorage();
      storage.writes = 'hang';
      let calls = 0;
      const stuck = task(
        { name: 'stuck', cachePolicy: INPUTS, timeoutSeconds: 2, resultStorage: storage },
        (n: number) => ++calls + n,
      );
      const [first, second] = await Promise.all([collect(stuck.run$(1)), collect(stuck.run$(1))]);
      expect(names(first)).toEqual(['Pending', 'Running', 'Completed']);
      expect(first.at(-1)!.data).toBe(2);
      // The second waited for the key, then computed itself (nothing was stored), and gave up too.
      expect(names(second)).toEqual(['Pending', 'Running', 'Completed']);
      // It started only once the first gave its write up, at 2 s, and freed the key.
      expect(second[1]!.timestamp.getTime()).toBe(2_000);
      expect(locksFor(storage).size).toBe(0);
      expect(messages(reports.reports)).toEqual(
        Array<string>(2).fill(
          "task 'stuck' (run '…'): writing the result to '<key>' failed (Waiting for the result storage timed out after 2 seconds); the run keeps its result in memory, but it is not cached",
        ),
      );
    });
  });

  it('should fail a run whose upstream result cannot be loaded within its timeoutSeconds', async () => {
    await withVirtualTime(async () => {
      const storage = new OddStorage();
      const produce = task(
        { name: 'produce', persistResult: true, cacheResultInMemory: false, resultStorage: storage },
        () => 21,
      );
      const consume = task({ name: 'consume', timeoutSeconds: 3 }, (n: number) => n * 2);
      const upstream = produce.submit();
      await upstream.wait();
      storage.reads = 'hang';
      const state = await consume.submit(upstream).wait();
      expect(state.name).toBe('Failed');
      expect(state.timestamp.getTime()).toBe(3_000);
      expect(state.message).toBe(
        'Could not load the result of an upstream run: Waiting for the result storage timed out after 3 seconds',
      );
    });
  });

  it('should let a cancellation end a run waiting for a read that never settles, and free the key', async () => {
    const storage = new OddStorage();
    storage.reads = 'hang';
    const waits = task({ name: 'waits', cachePolicy: INPUTS, resultStorage: storage }, (n: number) => n);
    const pending = firstValueFrom(
      runStates$.pipe(filter((e) => e.run.definitionName === 'waits' && e.state.name === 'Pending')),
    );
    const run = collect(waits.run$(1));
    const { run: info } = await pending;
    await getClient().cancelRun(info.id);
    expect(names(await run)).toEqual(['Pending', 'Cancelled']);
    expect(locksFor(storage).size).toBe(0);
    expect(reports.reports).toEqual([]);
  });
  it('should free the key when a run is cancelled while its write never settles', async () => {
    const storage = new OddStorage();
    storage.writes = 'hang';
    const writer = task({ name: 'writer', cachePolicy: INPUTS, resultStorage: storage }, (n: number) => n);
    const running = firstValueFrom(
      runStates$.pipe(filter((e) => e.run.definitionName === 'writer' && e.state.name === 'Running')),
    );
    const run = collect(writer.run$(1));
    const { run: info } = await running;
    await new Promise((resolve) => setImmediate(resolve)); // the body has returned: the write hangs
    expect(locksFor(storage).size).toBe(1);
    await getClient().cancelRun(info.id);
    expect(names(await run)).toEqual(['Pending', 'Running', 'Cancelled']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(locksFor(storage).size).toBe(0);
    storage.writes = 'ok';
    expect(await writer(1)).toBe(1); // not stuck behind the key
    expect(reports.reports).toEqual([]);
  });
});
