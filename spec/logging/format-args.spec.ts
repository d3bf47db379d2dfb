import fc from 'fast-check';
import { formatArgs, inspect } from '../../lib/logging/format-args';

describe('formatArgs', () => {
  it('should join arguments with spaces, strings as they are', () => {
    expect(formatArgs(['a', 'b'])).toBe('a b');
    expect(formatArgs(['n =', 3, true, null, undefined, 10n])).toBe('n = 3 true null undefined 10n');
    expect(formatArgs([])).toBe('');
  });

  it('should apply printf-style substitutions of a leading string', () => {
    expect(formatArgs(['%s has %d rows (%i%%), ratio %f', 'sales', 3.7, 42.9, '0.5'])).toBe(
      'sales has 3.7 rows (42%), ratio 0.5',
    );
    expect(formatArgs(['%o and %j', { a: 1 }, [1]])).toBe('{"a":1} and [1]');
    expect(formatArgs(['%c styled', 'color: red'])).toBe(' styled');
    expect(formatArgs(['%s %s', 'only one'])).toBe('only one %s');
    expect(formatArgs(['%s', 'x', 'extra', 2])).toBe('x extra 2');
  });

  it('should show objects compactly, cycles marked, errors with their stack', () => {
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.self = cyclic;
    expect(inspect(cyclic)).toBe('{"name":"a","self":"[Circular]"}');
    expect(inspect(new Map([['k', 1]]))).toBe('{"k":1}');
    expect(inspect(new Set([1, 2]))).toBe('[1,2]');
    expect(inspect(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
    expect(inspect(function load() {})).toBe('[Function: load]');
    const error = new TypeError('bad');
    expect(inspect(error)).toBe(error.stack);
    expect(inspect({ e: error, big: 1n })).toBe('{"e":"TypeError: bad","big":"1n"}');
  });

  it('should never throw, whatever it is given', () => {
    fc.assert(
      fc.property(
        fc.array(fc.anything({ withBigInt: true, withMap: true, withSet: true, withDate: true })),
        (args) => {
          expect(typeof formatArgs(args)).toBe('string');
        },
      ),
    );
  });

  it('should never throw on values that throw when read or converted', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const namelessFn = Object.defineProperty(() => 1, 'name', {
      get() {
        throw new Error('no name');
      },
    });
    const { proxy: fnProxy, revoke: revokeFn } = Proxy.revocable(() => 1, {});
    revokeFn();
    const hostile = [
      namelessFn,
      fnProxy,
      Symbol('s'),
      Object.create(null),
      proxy,
      {
        toString: () => {
          throw new Error('no string');
        },
        valueOf: () => {
          throw new Error('no number');
        },
      },
      Object.defineProperty(new Error('e'), 'stack', {
        get: () => {
          throw new Error('no stack');
        },
      }),
      {
        toJSON: () => {
          throw new Error('no json');
        },
      },
    ];
    fc.assert(
      fc.property(
        fc.constantFrom('%s', '%d', '%i', '%f', '%j', '%o', '%O', '%c', 'plain'),
        // Indices: fast-check itself cannot hold a revoked Proxy.
        fc.array(fc.nat(hostile.length - 1), { maxLength: 4 }),
        (format, picks) => {
          const args = picks.map((i) => hostile[i]);
          expect(typeof formatArgs([format, ...args])).toBe('string');
          expect(typeof formatArgs(args)).toBe('string');
        },
      ),
    );
    expect(formatArgs(['%d|%i|%f', Symbol('s'), Symbol('s'), Symbol('s')])).toBe('NaN|NaN|NaN');
  });
});
