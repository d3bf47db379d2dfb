import '../../lib/internal/context-node';
import { currentFrame } from '../../lib/internal/context';
import { flaky, sleep, withVirtualTime } from '../../lib/testing/index.node';

/** Calls `fn` until it resolves (at most `max` times); the errors it threw on the way. */
async function callUntilOk(
  fn: () => Promise<unknown>,
  max = 20,
): Promise<{ errors: unknown[]; value: unknown }> {
  const errors: unknown[] = [];
  for (let i = 0; i < max; i++) {
    try {
      return { errors, value: await fn() };
    } catch (error) {
      errors.push(error);
    }
  }
  throw new Error('never succeeded');
}

describe('flaky', () => {
  it('should fail the given number of times with numbered errors, then call fn', async () => {
    const body = flaky(2, (x: number) => x + 1);
    const { errors, value } = await callUntilOk(() => body(1));
    expect(value).toBe(2);
    expect(errors.map((e) => (e as Error).message)).toEqual([
      'flaky: planned failure 1 of 2',
      'flaky: planned failure 2 of 2',
    ]);
    expect(body.calls).toBe(3);
    expect(body.failures).toBe(2);
  });

  it('should throw each listed value, whatever it is, on its attempt', async () => {
    const error = new Error('a');
    const plain = { code: 7 };
    const body = flaky([error, 'b', undefined, plain], () => 'ok');
    const { errors, value } = await callUntilOk(body);
    expect(errors).toEqual([error, 'b', undefined, plain]);
    expect(errors[0]).toBe(error);
    expect(value).toBe('ok');
  });

  it('should build errors with a function given the attempt', async () => {
    const body = flaky(
      { failures: 2, error: (attempt) => new RangeError(`attempt ${attempt}`) },
      async () => 'ok',
    );
    const { errors } = await callUntilOk(body);
    expect(errors).toEqual([new RangeError('attempt 1'), new RangeError('attempt 2')]);
  });

  it('should pass arguments and this through, and await an async fn', async () => {
    const body = flaky(0, async function (this: { base: number }, x: number) {
      await Promise.resolve();
      return this.base + x;
    });
    await expect(body.call({ base: 10 }, 5)).resolves.toBe(15);
  });

  it('should reject (not throw) on a planned failure, and reject when fn throws', async () => {
    const body = flaky(1, () => {
      throw new Error('fn itself');
    });
    const first = body();
    expect(first).toBeInstanceOf(Promise);
    await expect(first).rejects.toThrow('planned failure 1 of 1');
    await expect(body()).rejects.toThrow('fn itself');
  });

  it('should record call times on the run clock, so gaps are exact under virtual time', async () => {
    const body = flaky(3, () => 'ok');
    await withVirtualTime(async () => {
      for (const wait of [0, 1000, 2500, 60_000]) {
        await sleep(wait);
        await body().catch(() => undefined);
      }
    });
    expect(body.callTimes).toEqual([0, 1000, 3500, 63_500]);
    expect(body.gaps).toEqual([1000, 2500, 60_000]);
  });

  it('should start over after reset', async () => {
    const body = flaky(1, () => 'ok');
    await expect(body()).rejects.toThrow();
    await expect(body()).resolves.toBe('ok');
    body.reset();
    expect(body.calls).toBe(0);
    expect(body.callTimes).toEqual([]);
    await expect(body()).rejects.toThrow();
  });

  it('should keep the name, arity and source of fn, which the engine reads', () => {
    function extract(url: string, retries: number) {
      return `${url}${retries}`;
    }
    const body = flaky(1, extract);
    expect(body.name).toBe('extract');
    expect(body.length).toBe(2);
    expect(body.toString()).toBe(extract.toString());
  });

  it('should use the current clock for call times', async () => {
    const body = flaky(0, () => currentFrame().clock.scheduler.now());
    const [at] = await withVirtualTime(async () => [await body()], { start: 5000 });
    expect(at).toBe(5000);
    expect(body.callTimes).toEqual([5000]);
  });

  it('should reject a bad script with a clear message', () => {
    expect(() => flaky(-1, () => 1)).toThrow('flaky: expected script to be a non-negative integer, got -1');
    expect(() => flaky({ failures: 1.5 }, () => 1)).toThrow(
      'flaky: expected script.failures to be a non-negative integer, got 1.5',
    );
    expect(() => flaky({ failures: 1, error: 'x' as never }, () => 1)).toThrow(
      'flaky: expected script.error to be a function, got string',
    );
    expect(() => flaky('x' as never, () => 1)).toThrow(
      'flaky: expected script to be a number, a list of errors or { failures }, got x',
    );
    expect(() => flaky(1, 'x' as never)).toThrow('flaky: expected fn to be a function, got string');
  });

  it('should type the wrapper like fn, made async', () => {
    const body = flaky(1, (a: number, b: string) => `${a}${b}`);
    const typed: (a: number, b: string) => Promise<string> = body;
    // @ts-expect-error wrong argument type
    void (() => body('1', 'b'));
    expect(typeof typed).toBe('function');
  });
});
