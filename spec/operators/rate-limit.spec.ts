import { of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  createConcurrencyLimit,
  deleteConcurrencyLimit,
  getConcurrencyLimit,
  isConcurrencyLimitError,
} from '../../lib/limits/index';
import { rateLimit } from '../../lib/operators/rate-limit';

const testScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

afterEach(() => deleteConcurrencyLimit('api'));

describe('rateLimit', () => {
  it('should space values by the decay of their slots and complete after the last', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('(abc|)');
      expectObservable(source.pipe(rateLimit({ limit: 1, slotDecayPerSecond: 100 }))).toBe(
        'a 9ms b 9ms (c|)',
      );
      expectSubscriptions(source.subscriptions).toBe('(^!)');
    });
  });

  it('should let a burst of up to `limit` through, then the steady rate', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold('(abcd)');
      expectObservable(source.pipe(rateLimit({ limit: 2, slotDecayPerSecond: 10 }, { occupy: 1 }))).toBe(
        '(ab) 96ms c 99ms d',
      );
    });
  });

  it('should pass values through untouched when the rate is not reached', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('a 1s b|').pipe(rateLimit({ limit: 1, slotDecayPerSecond: 1 }))).toBe('a 1s b|');
    });
  });

  it('should pass an error on at once, and unsubscribe its waiter from the limit', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('ab-#');
      expectObservable(source.pipe(rateLimit({ limit: 1, slotDecayPerSecond: 10 }))).toBe('a--#');
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('should share a named limit, and leave its queue when unsubscribed', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      createConcurrencyLimit('api', { limit: 1, slotDecayPerSecond: 1 });
      expectObservable(cold('(ab)').pipe(rateLimit('api')), '^ 1500ms !').toBe('a 999ms b');
      expectObservable(cold('-c').pipe(rateLimit('api'))).toBe('- 1999ms c');
    });
    expect(getConcurrencyLimit('api')?.waiting).toBe(0);
  });

  it('should error for a limit without decay, an unknown name, or bad options', () => {
    createConcurrencyLimit('api', { limit: 1 });
    let error: unknown;
    of(1)
      .pipe(rateLimit('api'))
      .subscribe({ error: (e: unknown) => (error = e) });
    expect(isConcurrencyLimitError(error)).toBe(true);
    of(1)
      .pipe(rateLimit('no-such-limit'))
      .subscribe({ error: (e: unknown) => (error = e) });
    expect((error as Error).message).toMatch(/no concurrency limit named 'no-such-limit'/);
    expect(() => rateLimit({ limit: 1, slotDecayPerSecond: 0 })).toThrowErrorMatchingInlineSnapshot(
      `"rateLimit: expected slotDecayPerSecond to be a positive finite number, got 0"`,
    );
  });
});
