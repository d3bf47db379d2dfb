import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import {
  CacheKeyError,
  isCacheKeyError,
  taskInputHash,
  type CacheKeyContext,
  type RunInfo,
} from '../../lib/index.node';

const run = {
  id: 'r',
  name: 'r',
  kind: 'task',
  definitionName: 't',
  tags: [],
  parameters: {},
  runCount: 1,
  startTime: new Date(0),
} as RunInfo;
const double = (x: unknown) => x;
const context = (name = 'double', fn: (...args: never[]) => unknown = double): CacheKeyContext => ({
  task: { name, fn },
  taskRun: run,
  flowRun: undefined,
});
const hash = (parameters: Record<string, unknown>) => taskInputHash(context(), parameters);

/** Values every key must handle; no -0 and no undefined object properties (both equal their counterparts by design). */
const arbValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string(),
    fc.integer(),
    fc.double({ noDefaultInfinity: false }).filter((n) => !Object.is(n, -0)),
    fc.boolean(),
    fc.constant(null),
    fc.bigInt(),
    fc.date({ noInvalidDate: true }),
    fc.uint8Array({ maxLength: 4 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
    fc.array(fc.tuple(fc.string(), tie('value')), { maxLength: 3 }).map((entries) => new Map(entries)),
    fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 3 }).map((items) => new Set(items)),
  ),
})).value;

const arbParameters = fc.dictionary(fc.string({ minLength: 1 }), arbValue, { minKeys: 1, maxKeys: 4 });

/** The same value with every object's keys, every Map's and every Set's entries in reverse order. */
function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered);
  if (value instanceof Map) return new Map([...value].reverse().map(([k, v]) => [k, reordered(v)]));
  if (value instanceof Set) return new Set([...value].reverse());
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).reverse()) {
      // defineProperty, so a key named __proto__ stays a key.
      Object.defineProperty(out, key, {
        value: reordered((value as Record<string, unknown>)[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

describe('taskInputHash', () => {
  it('should give the same key for the same value built in different key orders', () => {
    fc.assert(
      fc.property(arbParameters, (parameters) => {
        expect(hash(reordered(parameters) as Record<string, unknown>)).toBe(hash(parameters));
      }),
    );
  });

  it('should give a different key when any input changes', () => {
    fc.assert(
      fc.property(arbParameters, arbValue, fc.nat(), (parameters, replacement, pick) => {
        const keys = Object.keys(parameters);
        const name = keys[pick % keys.length]!;
        fc.pre(!isDeepStrictEqual(parameters[name], replacement));
        expect(hash({ ...parameters, [name]: replacement })).not.toBe(hash(parameters));
      }),
    );
  });

  it('should never share a key between two tasks, or two versions of one task', () => {
    fc.assert(
      fc.property(arbParameters, (parameters) => {
        const a = taskInputHash(context('a'), parameters);
        expect(taskInputHash(context('b'), parameters)).not.toBe(a);
        expect(
          taskInputHash(
            context('a', (x: unknown) => [x]),
            parameters,
          ),
        ).not.toBe(a);
        expect(a).toMatch(/^[0-9a-f]{64}$/);
      }),
    );
  });

  it('should tell apart values JSON would confuse', () => {
    const distinct: unknown[] = [
      null,
      undefined,
      NaN,
      Infinity,
      -Infinity,
      0,
      '0',
      1n,
      '1',
      new Date(0),
      0,
      new Date(0).toISOString(),
      [undefined],
      [null],
      new Map([['a', 1]]),
      { a: 1 },
      new Set([1]),
      [1],
      new Uint8Array([1, 2]),
      new Int8Array([1, 2]),
      '\u0000Map',
      /a/g,
      '/a/g',
    ];
    const keys = distinct.map((value) => hash({ x: value }));
    const unique = new Set(keys);
    // 0 appears twice on purpose (as the value next to Date(0)): the only repeat.
    expect(unique.size).toBe(distinct.length - 1);
  });

  it('should ignore Map and Set insertion order and undefined object properties', () => {
    expect(
      hash({
        m: new Map([
          ['a', 1],
          ['b', 2],
        ]),
      }),
    ).toBe(
      hash({
        m: new Map([
          ['b', 2],
          ['a', 1],
        ]),
      }),
    );
    expect(hash({ s: new Set([1, 2, 3]) })).toBe(hash({ s: new Set([3, 1, 2]) }));
    expect(hash({ o: { a: 1, b: undefined } })).toBe(hash({ o: { a: 1 } }));
  });

  it('should hash a class instance by its toJSON()', () => {
    expect(hash({ url: new URL('https://example.com/a') })).toBe(
      hash({ url: new URL('https://example.com/a') }),
    );
    expect(hash({ url: new URL('https://example.com/a') })).not.toBe(hash({ url: 'https://example.com/a' }));
  });

  it('should refuse a function, a symbol, a circular structure and a class instance, naming the parameter', () => {
    class Pool {
      size = 3;
    }
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    const messages = [
      { onDone: () => undefined },
      { options: { retry: { when: () => true } } },
      { tag: Symbol('x') },
      { config: circular },
      { db: new Pool() },
      { rows: [1, 2, new Pool()] },
    ].map((parameters) => {
      try {
        hash(parameters);
      } catch (error) {
        expect(isCacheKeyError(error)).toBe(true);
        expect(error).toBeInstanceOf(CacheKeyError);
        return `${(error as CacheKeyError).parameter}: ${(error as Error).message}`;
      }
      throw new Error('expected a CacheKeyError');
    });
    expect(messages).toMatchInlineSnapshot(`
     [
       "onDone: Cannot compute the cache key of task 'double': parameter 'onDone' holds a function (functions cannot be hashed). Exclude it with INPUTS.exclude('onDone'), give the task a cacheKeyFn, or use cachePolicy NO_CACHE.",
       "options: Cannot compute the cache key of task 'double': parameter 'options' holds a function at options.retry.when (functions cannot be hashed). Exclude it with INPUTS.exclude('options'), give the task a cacheKeyFn, or use cachePolicy NO_CACHE.",
       "tag: Cannot compute the cache key of task 'double': parameter 'tag' holds a symbol (symbols cannot be hashed). Exclude it with INPUTS.exclude('tag'), give the task a cacheKeyFn, or use cachePolicy NO_CACHE.",
       "config: Cannot compute the cache key of task 'double': parameter 'config' holds a circular reference at config.self (circular structures cannot be hashed). Exclude it with INPUTS.exclude('config'), give the task a cacheKeyFn, or use cachePolicy NO_CACHE.",
       "db: Cannot compute the cache key of task 'double': parameter 'db' holds a Pool instance (class instances are hashed only when they define toJSON()). Exclude it with INPUTS.exclude('db'), give the task a cacheKeyFn, or use cachePolicy NO_CACHE.",
       "rows: Cannot compute the cache key of task 'double': parameter 'rows' holds a Pool instance at rows[2] (class instances are hashed only when they define toJSON()). Exclude it with INPUTS.exclude('rows'), give the task a cacheKeyFn, or use cachePolicy NO_CACHE.",
     ]
    `);
  });
});
