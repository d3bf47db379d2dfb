import fc from 'fast-check';
import { bindParameters, knownNames, readParameters } from '../../lib/internal/params';

/* eslint-disable @typescript-eslint/no-unused-vars */
describe('readParameters', () => {
  it.each<[string, (...args: never[]) => unknown, (string | undefined)[], string | undefined]>([
    ['a bare arrow', (x: number) => x, ['x'], undefined],
    ['an async arrow', async (x: number, y: number) => x + y, ['x', 'y'], undefined],
    ['a named function', function load(table: string, limit: number) {}, ['table', 'limit'], undefined],
    [
      'defaults containing commas, parens and strings',
      function withDefaults(a: number, b = [1, 2], c = ')', d = (x: number, y: number) => x + y) {},
      ['a', 'b', 'c', 'd'],
      undefined,
    ],
    [
      'destructured parameters',
      ({ a }: { a: number }, [b]: number[], c: number) => c,
      [undefined, undefined, 'c'],
      undefined,
    ],
    ['a rest parameter', (first: string, ...others: string[]) => first, ['first'], 'others'],
    [
      'comments in the list',
      function commented(
        /* skip, */ a: number, // b,
        c: number,
      ) {},
      ['a', 'c'],
      undefined,
    ],
    ['a method', { run(a: number, b: number) {} }.run, ['a', 'b'], undefined],
    ['no parameters', () => 1, [], undefined],
  ])('should read %s', (_label, fn, names, rest) => {
    expect(readParameters(fn)).toEqual({ names, rest });
  });

  it('should read no names from a bound or native function', () => {
    expect(readParameters(function (a: number) {}.bind(null))).toEqual({ names: [], rest: undefined });
    expect(readParameters(Math.max as never)).toEqual({ names: [], rest: undefined });
  });
});

describe('bindParameters', () => {
  it('should record arguments by name', () => {
    expect(
      bindParameters(
        readParameters((a: number, b: number) => a + b),
        [1, 2],
      ),
    ).toEqual({ a: 1, b: 2 });
    expect(
      bindParameters(
        readParameters((a: number) => a),
        [],
      ),
    ).toEqual({});
  });

  it('should use positional names where a name cannot be read, and for extra arguments', () => {
    const spec = readParameters(({ a }: { a: number }, b: number) => a + b);
    expect(bindParameters(spec, [{ a: 1 }, 2, 3])).toEqual({ '0': { a: 1 }, b: 2, '2': 3 });
    expect(bindParameters(readParameters(Math.max as never), [5, 6])).toEqual({ '0': 5, '1': 6 });
  });

  it('should gather a rest parameter into an array under its name', () => {
    const spec = readParameters((first: string, ...others: string[]) => first);
    expect(bindParameters(spec, ['a', 'b', 'c'])).toEqual({ first: 'a', others: ['b', 'c'] });
    expect(bindParameters(spec, ['a'])).toEqual({ first: 'a' });
  });

  it('should record a defaulted parameter by name when it is passed, and omit it when it is not', () => {
    const spec = readParameters((name: string, greeting = 'hello') => `${greeting} ${name}`);
    expect(bindParameters(spec, ['ada', 'hi'])).toEqual({ name: 'ada', greeting: 'hi' });
    // The default's value cannot be read without calling the function.
    expect(bindParameters(spec, ['ada'])).toEqual({ name: 'ada' });
  });

  it('should keep every argument under exactly one key (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c', undefined), { maxLength: 4 }),
        fc.option(fc.constant('rest'), { nil: undefined }),
        fc.array(fc.integer(), { maxLength: 8 }),
        (names, rest, args) => {
          const unique = names.map((n, i) => (n === undefined ? undefined : `${n}${i}`));
          const bound = bindParameters({ names: unique, rest }, args);
          const values = Object.values(bound).flatMap((v) => (Array.isArray(v) ? v : [v]));
          expect(values.sort()).toEqual([...args].sort());
        },
      ),
    );
  });
});

describe('knownNames', () => {
  it('should list every name, rest included', () => {
    expect(knownNames(readParameters((a: number, ...more: number[]) => a))).toEqual(new Set(['a', 'more']));
  });

  it('should be undefined when some name cannot be read', () => {
    expect(knownNames(readParameters(({ a }: { a: number }) => a))).toBeUndefined();
  });
});
