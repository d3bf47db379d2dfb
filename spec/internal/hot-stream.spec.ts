import { config, filter, firstValueFrom, map, Subscriber, take, toArray } from 'rxjs';
import { Bus, HotStream } from '../../lib/internal/hot-stream';
import { setErrorReporter } from '../../lib/internal/report';

/**
 * RxJS hands an error it cannot deliver to `config.onUnhandledError`, or rethrows it on a timer
 * (an uncaught exception, which ends a Node process). Each test records both and flushes the
 * timer RxJS would have used before it looks.
 */
function watchUnhandled() {
  const unhandled: unknown[] = [];
  const reported: [string, unknown][] = [];
  const previous = config.onUnhandledError;
  config.onUnhandledError = (error) => unhandled.push(error);
  const restoreReporter = setErrorReporter((message, error) => reported.push([message, error]));
  return {
    unhandled,
    reported,
    /** Lets RxJS's reportUnhandledError timer (0 ms) run, then restores the globals. */
    async done() {
      await new Promise((resolve) => setTimeout(resolve, 0));
      config.onUnhandledError = previous;
      restoreReporter();
    },
  };
}

describe('HotStream', () => {
  it('should report a subscriber that throws, keep it subscribed and keep feeding the others', async () => {
    const watch = watchUnhandled();
    const bus = new Bus<number>('numbers$');
    const boom = new Error('observer boom');
    const thrower = bus.stream.subscribe(() => {
      throw boom;
    });
    const seen: number[] = [];
    const other = bus.stream.subscribe((n) => seen.push(n));
    bus.next(1);
    bus.next(2);
    await watch.done();
    expect(seen).toEqual([1, 2]);
    expect(thrower.closed).toBe(false);
    expect(watch.unhandled).toEqual([]);
    expect(watch.reported).toEqual([
      ['a numbers$ subscriber threw; runs and other subscribers are unaffected', boom],
      ['a numbers$ subscriber threw; runs and other subscribers are unaffected', boom],
    ]);
    thrower.unsubscribe();
    other.unsubscribe();
    expect(bus.observed).toBe(false);
  });

  it('should call an observer object as a method and guard its error and complete callbacks', async () => {
    const watch = watchUnhandled();
    const stream = new HotStream<number>('once$', (subscriber) => {
      subscriber.next(1);
      subscriber.complete();
    });
    const observer = {
      seen: [] as number[],
      next(this: { seen: number[] }, n: number) {
        this.seen.push(n);
      },
      complete() {
        throw new Error('complete broke');
      },
    };
    stream.subscribe(observer);
    const failing = new HotStream<number>('failing$', (subscriber) => subscriber.error(new Error('x')));
    failing.subscribe({
      error: () => {
        throw new Error('error callback broke');
      },
    });
    await watch.done();
    expect(observer.seen).toEqual([1]);
    expect(watch.unhandled).toEqual([]);
    expect(watch.reported.map(([m, e]) => `${m}: ${(e as Error).message}`)).toEqual([
      'the complete callback of a once$ subscriber threw: complete broke',
      'the error callback of a failing$ subscriber threw: error callback broke',
    ]);
  });

  it('should stay guarded through operators: a pipeline that errors with no error callback is reported', async () => {
    const watch = watchUnhandled();
    const bus = new Bus<number>('numbers$');
    const piped = bus.stream.pipe(
      filter((n) => n > 0),
      map((n) => {
        if (n === 2) throw new Error('map broke');
        return n;
      }),
    );
    expect(piped).toBeInstanceOf(HotStream);
    const seen: number[] = [];
    piped.subscribe((n) => seen.push(n));
    const handled: unknown[] = [];
    bus.stream.pipe(map(() => JSON.parse('{'))).subscribe({ error: (e) => handled.push(e) });
    bus.next(1);
    bus.next(2);
    bus.next(3);
    await watch.done();
    expect(seen).toEqual([1]); // the pipeline ended with its error, as in RxJS
    expect(handled).toHaveLength(1); // an error callback gets the error, nothing is reported for it
    expect(watch.unhandled).toEqual([]);
    expect(watch.reported.map(([m, e]) => `${m}: ${(e as Error).message}`)).toEqual([
      'a pipeline on numbers$ failed and its subscriber has no error callback; runs and other subscribers are unaffected: map broke',
    ]);
    expect(bus.observed).toBe(false);
  });

  it('should pass a Subscriber through, and report one that throws synchronously without starving the rest', async () => {
    const watch = watchUnhandled();
    const bus = new Bus<number>('numbers$');
    const values = firstValueFrom(bus.stream.pipe(take(2), toArray()));
    class Raw extends Subscriber<number> {
      protected override _next(): void {
        throw new Error('raw broke');
      }
    }
    const raw = new Raw();
    bus.subscribe(raw);
    const seen: number[] = [];
    bus.stream.subscribe((n) => seen.push(n));
    bus.next(1);
    bus.next(2);
    await watch.done();
    await expect(values).resolves.toEqual([1, 2]);
    expect(seen).toEqual([1, 2]);
    expect(watch.reported.map(([m, e]) => `${m}: ${(e as Error).message}`)).toEqual([
      'a numbers$ subscriber threw; runs and other subscribers are unaffected: raw broke',
      'a numbers$ subscriber threw; runs and other subscribers are unaffected: raw broke',
    ]);
    raw.unsubscribe();
  });

  it('should not deliver a value to a subscriber that joined while it was being delivered', () => {
    const bus = new Bus<number>('numbers$');
    const late: number[] = [];
    const first = bus.stream.subscribe(() => {
      bus.stream.subscribe((n) => late.push(n));
    });
    bus.next(1);
    first.unsubscribe();
    bus.next(2);
    expect(late).toEqual([2]);
  });
});
