import '../../lib/internal/context-node';
import { from, lastValueFrom, map, Observable, of, range, Subject, tap, timer, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  createConcurrencyLimit,
  deleteConcurrencyLimit,
  getConcurrencyLimit,
  isConcurrencyLimitError,
  rateLimit,
} from '../../lib/limits/index';
import { currentFrame } from '../../lib/internal/context';
import { concurrencyLimit } from '../../lib/operators/concurrency-limit';
import { sleep, withVirtualTime } from '../../lib/testing/index.node';

const testScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const now = () => currentFrame().clock.scheduler.now();

afterEach(() => {
  deleteConcurrencyLimit('shared');
  deleteConcurrencyLimit('other');
});

describe('concurrencyLimit', () => {
  it('should run at most `limit` inners at once and merge values in completion order', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const inners: Record<string, ReturnType<typeof cold>> = {
        a: cold('---a|'),
        b: cold('-b|'),
        c: cold('--c|'),
      };
      const source = cold('(abc|)');
      expectObservable(source.pipe(concurrencyLimit((k: string) => inners[k]!, 2))).toBe('-b-ac|');
      expectSubscriptions(inners.a!.subscriptions).toBe('^---!');
      expectSubscriptions(inners.b!.subscriptions).toBe('^-!');
      expectSubscriptions(inners.c!.subscriptions).toBe('--^--!');
      expectSubscriptions(source.subscriptions).toBe('(^!)');
    });
  });

  it('should unsubscribe live inners and drop waiting values when unsubscribed', () => {
    testScheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const inner = cold('----x|');
      const source = hot('a-b-c-|');
      expectObservable(source.pipe(concurrencyLimit(() => inner, 1)), '^------!').toBe('----x--');
      // c arrives at 4 while b holds the slot, and never starts.
      expectSubscriptions(inner.subscriptions).toBe(['^----!', '-----^-!']);
      expectSubscriptions(source.subscriptions).toBe('^-----!');
    });
  });

  it('should error at once when an inner errors, unsubscribing the others', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const slow = cold('-----s|');
      const failing = cold('--#', undefined, 'bad');
      const waiting = cold('x|');
      const source = cold('(sfw|)', { s: slow, f: failing, w: waiting });
      expectObservable(source.pipe(concurrencyLimit((inner) => inner, 2))).toBe('--#', undefined, 'bad');
      expectSubscriptions(slow.subscriptions).toBe('^-!');
      expectSubscriptions(failing.subscriptions).toBe('^-!');
      expectSubscriptions(waiting.subscriptions).toBe([]);
    });
  });

  it('should pass the index and error when project throws', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold('abc|');
      const projected = source.pipe(
        concurrencyLimit((v: string, i) => {
          if (i === 2) throw new Error('third');
          return of(`${v}${i}`);
        }, 1),
      );
      expectObservable(projected).toBe('ab#', { a: 'a0', b: 'b1' }, new Error('third'));
    });
  });

  it('should share the slots of a named limit between subscriptions, first come first served', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      createConcurrencyLimit('shared', { limit: 1 });
      const one = cold('--1|');
      const two = cold('--2|');
      expectObservable(cold('(ab|)').pipe(concurrencyLimit(() => one, 'shared'))).toBe('--1--1|');
      expectObservable(cold('-(c|)').pipe(concurrencyLimit(() => two, 'shared'))).toBe('--------2|');
      expectSubscriptions(one.subscriptions).toBe(['^--!', '---^--!']);
      expectSubscriptions(two.subscriptions).toBe('------^--!');
    });
  });

  it('should error for an unknown limit name or occupy above the limit', async () => {
    const unknown = await lastValueFrom(of(1).pipe(concurrencyLimit((x) => of(x), 'no-such-limit'))).catch(
      (e: Error) => e,
    );
    expect(isConcurrencyLimitError(unknown)).toBe(true);
    expect(() => concurrencyLimit(() => of(1), 0)).toThrowErrorMatchingInlineSnapshot(
      `"concurrencyLimit: expected limit to be a positive integer or a name, got 0"`,
    );
    expect(() => concurrencyLimit(() => of(1), 2, { occupy: 3 })).toThrow(/cannot occupy 3 slots/);
  });

  it('should get through 100,000 synchronous values with promises, never more than the limit live', async () => {
    let live = 0;
    let maxLive = 0;
    const n = 100_000;
    const values = Array.from({ length: n }, (_, i) => i);
    const sum = await lastValueFrom(
      from(values).pipe(
        concurrencyLimit(async (x) => {
          maxLive = Math.max(maxLive, ++live);
          await null;
          live--;
          return x + 1;
        }, 64),
        toArray(),
        map((all) => all.reduce((a, b) => a + b, 0)),
      ),
    );
    expect(sum).toBe((n * (n + 1)) / 2);
    expect(maxLive).toBe(64);
  });

  it('should not recurse on 100,000 synchronous inners', () => {
    let count = 0;
    range(0, 100_000)
      .pipe(concurrencyLimit((x) => of(x), 3))
      .subscribe(() => count++);
    expect(count).toBe(100_000);
  });

  it('should error when a promise rejects, and ignore promises that settle after unsubscription', async () => {
    const rejected = await lastValueFrom(
      of(1, 2).pipe(
        concurrencyLimit((x) => (x === 2 ? Promise.reject(new Error('no 2')) : Promise.resolve(x)), 2),
      ),
    ).catch((e: Error) => e.message);
    expect(rejected).toBe('no 2');

    createConcurrencyLimit('shared', { limit: 2 });
    let resolveAll!: () => void;
    const gate = new Promise<void>((r) => (resolveAll = r));
    const seen: number[] = [];
    const subscription = of(1, 2, 3)
      .pipe(concurrencyLimit((x) => gate.then(() => x), 'shared'))
      .subscribe((x) => seen.push(x));
    expect(getConcurrencyLimit('shared')).toMatchObject({ active: 2, waiting: 1 });
    subscription.unsubscribe();
    expect(getConcurrencyLimit('shared')).toMatchObject({ active: 0, waiting: 0 });
    resolveAll();
    await gate;
    await null;
    expect(seen).toEqual([]);
    expect(getConcurrencyLimit('shared')).toMatchObject({ active: 0, waiting: 0 });
  });

  it('should release slots of a named limit on unsubscription', () => {
    createConcurrencyLimit('shared', { limit: 2 });
    const subscription = of(1, 2, 3)
      .pipe(
        concurrencyLimit(() => new Observable<never>(), 'shared'),
        tap(),
      )
      .subscribe();
    expect(getConcurrencyLimit('shared')).toMatchObject({ active: 2, waiting: 1 });
    subscription.unsubscribe();
    expect(getConcurrencyLimit('shared')).toMatchObject({ active: 0, waiting: 0 });
  });
});

describe('concurrencyLimit with odd thenables', () => {
  const boom = new Error('boom');
  const thenables: Record<string, () => unknown> = {
    'whose then throws': () => ({
      then() {
        throw boom;
      },
    }),
    'whose then getter throws': () =>
      Object.defineProperty({}, 'then', {
        get() {
          throw boom;
        },
      }),
  };
  const limits: Record<string, () => number | string | string[]> = {
    'an own limit': () => 1,
    'a named limit': () => (createConcurrencyLimit('shared', { limit: 1 }), 'shared'),
    'a decaying named limit': () => (
      createConcurrencyLimit('shared', { limit: 1, slotDecayPerSecond: 1 }),
      'shared'
    ),
    'a list of names': () => {
      createConcurrencyLimit('shared', { limit: 1 });
      createConcurrencyLimit('other', { limit: 3, slotDecayPerSecond: 1 });
      return ['shared', 'other'];
    },
  };
  const cases = Object.keys(thenables).flatMap((thenable) =>
    Object.keys(limits).flatMap((limit) => [
      [thenable, limit, 'at once'],
      [thenable, limit, 'when granted a freed slot'],
    ]),
  );
  it.each(cases)(
    'should error with the error of a thenable %s, never throw (%s, started %s)',
    (thenable, name, when) => {
      const limit = limits[name]!();
      const source = new Subject<number>();
      const gate = new Subject<number>();
      const errors: unknown[] = [];
      source
        .pipe(
          concurrencyLimit((x) => (x === 1 ? gate : (thenables[thenable]!() as PromiseLike<number>)), limit),
        )
        .subscribe({ error: (e) => errors.push(e) });
      if (when === 'at once') {
        expect(() => source.next(2)).not.toThrow();
      } else {
        source.next(1); // holds the slot
        source.next(2); // waits for it
        expect(errors).toEqual([]);
        expect(() => gate.complete()).not.toThrow(); // its slot goes to 2
      }
      expect(errors).toEqual([boom]);
      expect(source.observed).toBe(false);
      for (const named of typeof limit === 'number' ? [] : [limit].flat()) {
        // On the real clock a decaying member of a list may keep what drained while the value
        // waited (a few ms' worth: it is counted as held from the start of the wait, and decay
        // drains it); the slot itself (1) is given back.
        expect(getConcurrencyLimit(named)!.active).toBeLessThan(0.05);
        expect(getConcurrencyLimit(named)!.waiting).toBe(0);
      }
    },
  );
});

describe('concurrencyLimit on a decaying named limit', () => {
  const inners: Record<string, () => Observable<unknown> | Promise<unknown>> = {
    'an Observable': () => timer(2000, currentFrame().clock.scheduler),
    'a Promise': () => sleep(2000),
  };
  for (const [kind, hold] of Object.entries(inners)) {
    it.each([['one name'], ['a list of names']])(
      `should give back on release only what has not decayed yet (${kind} inner, %s)`,
      async (names) => {
        const times = await withVirtualTime(async () => {
          createConcurrencyLimit('shared', { limit: 2, slotDecayPerSecond: 1 });
          if (names !== 'one name') createConcurrencyLimit('other', { limit: 1 });
          const times: number[] = [];
          // Holds 1 slot for 2 s: by then it has fully decayed, so its release gives nothing back.
          const holder = lastValueFrom(
            of(0).pipe(concurrencyLimit(hold, names === 'one name' ? 'shared' : ['shared', 'other'])),
          );
          await sleep(1900);
          await rateLimit('shared'); // the holder's slot has drained: 1 of 2 taken now
          times.push(now());
          await holder; // t = 2000, 0.9 of the rate call's slot is left
          for (let i = 0; i < 2; i++) {
            await rateLimit('shared');
            times.push(now());
          }
          return times;
        });
        // Three calls within 0.1 s would exceed limit + rate × window = 2.1.
        expect(times).toEqual([1900, 2000, 2900]);
        if (names !== 'one name')
          expect(getConcurrencyLimit('other')).toMatchObject({ active: 0, waiting: 0 });
      },
    );
  }

  it('should give back the part not yet drained of a short hold, also when unsubscribed', async () => {
    const active = await withVirtualTime(async () => {
      createConcurrencyLimit('shared', { limit: 4, slotDecayPerSecond: 1 });
      await lastValueFrom(of(1).pipe(concurrencyLimit(() => sleep(500), 'shared', { occupy: 2 })));
      const afterCompletion = getConcurrencyLimit('shared')!.active;
      const subscription = of(1)
        .pipe(concurrencyLimit(() => new Observable<never>(), 'shared', { occupy: 2 }))
        .subscribe();
      await sleep(500);
      subscription.unsubscribe();
      return [afterCompletion, getConcurrencyLimit('shared')!.active];
    });
    expect(active[0]).toBeCloseTo(0, 9);
    expect(active[1]).toBeCloseTo(0, 9);
  });
});
