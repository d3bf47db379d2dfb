import { defer, lastValueFrom } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { MemoryStorage, type ResultStorage } from '../../lib/index.node';
import { locksFor } from '../../lib/cache/key-lock';
import { cacheResult } from '../../lib/operators/cache-result';

const testScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('cacheResult', () => {
  it('should compute once, emitting the last value, then answer from the cache without subscribing', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--a--b|');
      const cached = source.pipe(cacheResult({ key: 'k', storage: new MemoryStorage(), scheduler }));
      expectObservable(cached).toBe('------(b|)');
      expectObservable(cached, '---------^').toBe('---------(b|)');
      expectSubscriptions(source.subscriptions).toBe('^-----!');
    });
  });

  it('should make concurrent subscriptions with one key wait for the one computing', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('---a|');
      const cached = source.pipe(cacheResult({ key: 'k', storage: new MemoryStorage(), scheduler }));
      expectObservable(cached).toBe('----(a|)');
      expectObservable(cached, '-^').toBe('----(a|)');
      expectObservable(cached, '--^').toBe('----(a|)');
      expectSubscriptions(source.subscriptions).toBe('^---!');
    });
  });

  it('should let the next waiter compute when the computation errors or is unsubscribed', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const failing = cold('--#');
      const storage = new MemoryStorage();
      const first = failing.pipe(cacheResult({ key: 'f', storage, scheduler }));
      expectObservable(first).toBe('--#');
      expectObservable(first, '-^').toBe('----#');
      expectSubscriptions(failing.subscriptions).toBe(['^-!', '--^-!']);

      const slow = cold('----a|');
      const second = slow.pipe(cacheResult({ key: 's', storage, scheduler }));
      expectObservable(second, '^-!').toBe('---');
      expectObservable(second, '-^').toBe('-------(a|)');
      expectSubscriptions(slow.subscriptions).toBe(['^-!', '--^----!']);
    });
  });

  it('should expire entries on the scheduler, and recompute with refresh', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a|');
      const storage = new MemoryStorage();
      const cached = source.pipe(cacheResult({ key: 'k', storage, scheduler, expiration: 0.01 }));
      expectObservable(cached).toBe('--(a|)');
      expectObservable(cached, '-----------^').toBe('-----------(a|)');
      expectObservable(cached, '------------^').toBe('--------------(a|)');
      const refreshed = source.pipe(cacheResult({ key: 'k', storage, scheduler, refresh: true }));
      expectObservable(refreshed, '--------------------^').toBe('----------------------(a|)');
      expectSubscriptions(source.subscriptions).toBe(['^-!', '------------^-!', '--------------------^-!']);
    });
  });

  it('should pass the source through for a null key, and store nothing for an empty source', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b|');
      const storage = new MemoryStorage();
      expectObservable(source.pipe(cacheResult({ key: () => null, storage, scheduler }))).toBe('-a-b|');
      const empty = cold('--|');
      const cached = empty.pipe(cacheResult({ key: 'e', storage, scheduler }));
      expectObservable(cached).toBe('--|');
      expectObservable(cached, '---^').toBe('-----|');
      expectSubscriptions(empty.subscriptions).toBe(['^-!', '---^-!']);
      expect(storage.size).toBe(0);
    });
  });

  it('should wait for an asynchronous storage, hold the key until its write has settled, and release every lock', async () => {
    const inner = new MemoryStorage();
    const pending: (() => void)[] = [];
    const storage: ResultStorage = {
      read: (key) => inner.read(key),
      write: (key, data) =>
        new Promise<void>((resolve) => pending.push(() => void inner.write(key, data).then(resolve))),
      exists: (key) => inner.exists(key),
      delete: (key) => inner.delete(key),
    };
    let calls = 0;
    const value$ = defer(async () => ++calls).pipe(cacheResult({ key: 'async', storage }));
    const first = lastValueFrom(value$);
    await new Promise((resolve) => setImmediate(resolve));
    const second = lastValueFrom(value$);
    await new Promise((resolve) => setImmediate(resolve));
    expect(pending).toHaveLength(1);
    pending.shift()!();
    expect(await Promise.all([first, second])).toEqual([1, 1]);
    expect(calls).toBe(1);
    expect(locksFor(storage).size).toBe(0);
  });

  it('should reject bad configuration at once', () => {
    expect(() => cacheResult({ key: '' })).toThrow(
      'cacheResult: expected key to be a non-empty string or a function, got ""',
    );
    expect(() => cacheResult({ key: 'k', expiration: -1 })).toThrow(
      'cacheResult: expected expiration to be a non-negative number of seconds or a date-fns Duration, got -1',
    );
    expect(() => cacheResult({ key: 'k', serializer: 'pickle' as never })).toThrow(
      "cacheResult: expected serializer to be 'json' or a ResultSerializer (dumps, loads)",
    );
    expect(() => cacheResult({ key: 'k', storage: {} as never })).toThrow(
      'cacheResult: expected storage to be a ResultStorage',
    );
  });
});
