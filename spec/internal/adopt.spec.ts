import { adopt } from '../../lib/internal/adopt';
import { hostileValues } from './hostile-values';

/** adopt's outcome as a promise: `{ value }` or `{ error }`, and how many callbacks ran. */
function outcome(value: unknown): Promise<{ value?: unknown; error?: unknown; calls: number }> {
  return new Promise((resolve) => {
    let calls = 0;
    let result: { value?: unknown; error?: unknown } = {};
    adopt(
      value,
      (v) => {
        calls++;
        result = { value: v };
      },
      (e) => {
        calls++;
        result = { error: e };
      },
    );
    // Later than any callback adopt makes (a native promise calls back in a microtask).
    setImmediate(() => resolve({ ...result, calls }));
  });
}

describe('adopt', () => {
  it('should settle as await would: values, promises, foreign thenables', async () => {
    expect(await outcome(1)).toEqual({ value: 1, calls: 1 });
    expect(await outcome(Promise.resolve(2))).toEqual({ value: 2, calls: 1 });
    expect(await outcome({ then: (ok: (v: number) => void) => ok(3) })).toEqual({ value: 3, calls: 1 });
    const boom = new Error('no');
    expect(await outcome(Promise.reject(boom))).toEqual({ error: boom, calls: 1 });
  });

  it('should call back as a foreign thenable does: synchronously if it settles synchronously (as RxJS from does)', () => {
    const seen: unknown[] = [];
    adopt(
      { then: (ok: (v: number) => void) => ok(1) },
      (v) => seen.push(v),
      (e) => seen.push(e),
    );
    const broke = new Error('then broke');
    adopt(
      {
        then() {
          throw broke;
        },
      },
      (v) => seen.push(v),
      (e) => seen.push(e),
    );
    expect(seen).toEqual([1, broke]);
  });

  it('should follow a thenable resolved with another thenable, as await does', async () => {
    const inner = { then: (ok: (v: string) => void) => ok('inner') };
    expect(await outcome({ then: (ok: (v: unknown) => void) => ok(inner) })).toEqual({
      value: 'inner',
      calls: 1,
    });
    expect(await outcome({ then: (ok: (v: unknown) => void) => ok(Promise.resolve('native')) })).toEqual({
      value: 'native',
      calls: 1,
    });
  });

  it('should reject with what a then or a then getter throws, and count a thenable calling back twice once', async () => {
    const broke = new Error('then broke');
    expect(
      await outcome({
        then() {
          throw broke;
        },
      }),
    ).toEqual({ error: broke, calls: 1 });
    const values = hostileValues();
    const getter = await outcome(values['a throwing then getter']);
    expect([(getter.error as Error).message, getter.calls]).toEqual(['read', 1]);
    const twice = await outcome({
      then(ok: (v: number) => void, fail: (e: unknown) => void) {
        ok(1);
        fail(new Error('late'));
        throw new Error('later');
      },
    });
    expect(twice).toEqual({ value: 1, calls: 1 });
    const revoked = await outcome(values['a revoked Proxy']);
    expect([revoked.error instanceof TypeError, revoked.calls]).toEqual([true, 1]);
  });

  it('should follow a native promise with the intrinsic then, not one its owner overrode, and survive a throwing constructor getter', async () => {
    const overridden = Promise.resolve(4);
    overridden.then = () => {
      throw new Error('overridden');
    };
    expect(await outcome(overridden)).toEqual({ value: 4, calls: 1 });
    const hostile = Promise.resolve(5);
    Object.defineProperty(hostile, 'constructor', {
      get() {
        throw new Error('no constructor');
      },
    });
    const out = await outcome(hostile);
    expect([(out.error as Error).message, out.calls]).toEqual(['no constructor', 1]);
  });
});
