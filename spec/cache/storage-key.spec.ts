import fc from 'fast-check';
import { INPUTS, isCacheKeyError, MemoryStorage, NO_CACHE, task } from '../../lib/index.node';
import { canonical, stableStringify } from '../../lib/cache/canonical';
import { compileStorageKey } from '../../lib/cache/storage-key';
import { captureReports, collect, names } from '../engine/support';

const refuse = (problem: string): never => {
  throw new Error(problem);
};
const compile = (template: string) => compileStorageKey(template, 't', refuse);
const render = (template: string, parameters: Record<string, unknown>) =>
  compile(template).render(parameters);

/** What cache keys consider the same value. */
const same = (a: unknown, b: unknown) =>
  stableStringify(canonical(a, '')) === stableStringify(canonical(b, ''));

describe('resultStorageKey rendering', () => {
  it('should render plain strings and numbers as themselves', () => {
    expect(render('sum-{a}-{b}.json', { a: 1, b: 2 })).toBe('sum-1-2.json');
    expect(render('sums/{a}-{b}.json', { a: 10.5, b: -0 })).toBe('sums/10.5-0.json');
    expect(render('archive-{day}', { day: 'mon' })).toBe('archive-mon');
    expect(render('reports/{name}.txt', { name: 'Q3 report (final)' })).toBe('reports/Q3 report (final).txt');
    expect(render('at-{when}', { when: new Date(Date.UTC(2024, 0, 2)) })).toBe('at-2024-01-02T00:00:00.000Z');
    expect(render('day-{when:yyyy-MM-dd}', { when: new Date(2024, 0, 2, 12) })).toBe('day-2024-01-02');
  });

  it('should keep the values that collided apart', () => {
    const pairs: [string, unknown, unknown][] = [
      ['Maps', new Map([['a', 1]]), new Map([['a', 2]])],
      ['Sets', new Set([1]), new Set([2])],
      ['BigInts in objects', { id: 1n }, { id: 2n }],
      ['NaN and null', NaN, null],
      ['undefined and null in arrays', [undefined], [null]],
      ['NaN and null in arrays', [NaN], [null]],
      ['undefined and null', undefined, null],
      ['Dates in objects', { at: new Date(1) }, { at: new Date(2) }],
      ['a string and an array', '[1]', [1]],
      ['a string and an object', '{}', {}],
    ];
    for (const [what, a, b] of pairs) {
      const [ka, kb] = [render('k/{v}', { v: a }), render('k/{v}', { v: b })];
      expect({ what, differ: ka !== kb }).toEqual({ what, differ: true });
    }
    // Equal as cache keys see them: one key (key order, Map and Set insertion order).
    expect(
      render('k/{v}', {
        v: new Map([
          ['a', 1],
          ['b', 2],
        ]),
      }),
    ).toBe(
      render('k/{v}', {
        v: new Map([
          ['b', 2],
          ['a', 1],
        ]),
      }),
    );
    expect(render('k/{v}', { v: { x: 1, y: [1, 2] } })).toBe(render('k/{v}', { v: { y: [1, 2], x: 1 } }));
  });

  it('should render an invalid Date, formatted or not, instead of crashing', () => {
    expect(render('at-{when}', { when: new Date(NaN) })).toBe('at-Invalid Date');
    expect(render('day-{when:yyyy-MM-dd}', { when: new Date(NaN) })).toBe('day-Invalid Date');
  });

  it('should escape what would add a path segment, be . or .., or hide where a value ends', () => {
    expect(render('notes/{t}', { t: '../invoices/42' })).toBe('notes/%2E.%2Finvoices%2F42');
    expect(render('notes/{t}', { t: '..' })).toBe('notes/%2E.');
    expect(render('notes/{t}', { t: 'a\\b%c\u0000' })).toBe('notes/a%5Cb%25c%00');
    expect(render('sum-{a}-{b}.json', { a: 'x-y', b: 'z-w' })).toBe('sum-x%2Dy-z-w.json');
    expect(render('{a}_{b}', { a: 'a_b', b: 'c' })).toBe('a%5Fb_c');
    expect(render('{a}→{b}', { a: '→', b: '' })).toBe('%u2192→%-');
    // An empty value keeps its segment: 'reports//x' would be the file 'reports/x'.
    expect(render('reports/{region}/{day}', { region: '', day: 'x' })).toBe('reports/%-/x');
    expect(render('reports/{region}/{day}', { region: '%-', day: 'x' })).toBe('reports/%25-/x');
  });

  it('should refuse templates whose values could run into each other, at definition', () => {
    expect(() => compile('{a}{b}')).toThrow("'{a}' and '{b}' are adjacent");
    expect(() => compile('x-{a}0%{b}')).toThrow("the text '0%' between '{a}' and '{b}'");
    expect(() => compile('{a}0x{b}')).not.toThrow();
  });

  it('should refuse a value it cannot render, naming the parameter', () => {
    let error: unknown;
    try {
      render('k/{config}', { config: { hooks: [() => 1] } });
    } catch (e) {
      error = e;
    }
    expect(isCacheKeyError(error)).toBe(true);
    expect((error as { parameter: string }).parameter).toBe('config');
    expect((error as Error).message).toBe(
      "Cannot compute the storage key of task 't': resultStorageKey parameter 'config' holds a function at config.hooks[0] (functions cannot be hashed); pass a value a key can be made of, or use cacheKeyFn",
    );
    expect(() => render('k/{s}', { s: Symbol('x') })).toThrow("parameter 's' holds a symbol");
  });

  describe('property: different arguments never share a key', () => {
    // Small alphabets, so that different arguments often come close to the same text.
    const char = fc.constantFrom('a', '-', '.', '/', '%', '[', '{', '"', '1', 'A', '\u0000', '→');
    const str = fc.string({ unit: char, maxLength: 4 });
    const num = fc.oneof(
      fc.integer({ min: -20, max: 20 }),
      fc.constantFrom(NaN, Infinity, -Infinity, -0, 0.5, 1e21),
    );
    const big = fc.bigInt({ min: -20n, max: 20n });
    const scalarsOther = fc.oneof(
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.constantFrom(new Date(0), new Date(1), new Date(NaN)),
    );
    const structured = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        str,
        num,
        big,
        scalarsOther,
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(str, tie('value'), { maxKeys: 2 }),
        fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 2 }).map((e) => new Map(e)),
        fc.array(tie('value'), { maxLength: 3 }).map((e) => new Set(e)),
      ),
    })).value;
    const compound = fc.oneof(
      fc.array(structured, { maxLength: 3 }),
      fc.dictionary(str, structured, { maxKeys: 2 }),
      fc.array(fc.tuple(structured, structured), { maxLength: 2 }).map((e) => new Map(e)),
      fc.array(structured, { maxLength: 3 }).map((e) => new Set(e)),
    );
    // Each parameter takes values of one kind; a kind mixes types whose texts cannot meet (a
    // string and a number with the same digits share a key, as documented).
    const kinds = [
      fc.oneof(str, str, compound),
      fc.oneof(num, scalarsOther, compound),
      fc.oneof(big, scalarsOther, compound),
      fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), compound),
    ];
    const literal = fc.oneof(str, fc.string({ unit: 'binary', maxLength: 3 }));

    it('should hold for random templates of up to three placeholders', () => {
      fc.assert(
        fc.property(
          fc
            .array(fc.tuple(literal, fc.nat(kinds.length - 1)), { minLength: 1, maxLength: 3 })
            .chain((slots) =>
              fc.tuple(
                fc.constant(slots),
                literal,
                fc.tuple(...slots.map(([, kind]) => kinds[kind]!)),
                fc.tuple(...slots.map(([, kind]) => kinds[kind]!)),
              ),
            ),
          ([slots, tail, first, second]) => {
            const template =
              slots.map(([lit], i) => `${lit.replace(/[{}]/g, '')}{p${i}}`).join('') +
              tail.replace(/[{}]/g, '');
            let compiled;
            try {
              compiled = compile(template);
            } catch {
              return; // refused at definition: no key ever rendered
            }
            const a = Object.fromEntries(first.map((v, i) => [`p${i}`, v]));
            const b = Object.fromEntries(second.map((v, i) => [`p${i}`, v]));
            if (compiled.render(a) === compiled.render(b)) {
              for (let i = 0; i < slots.length; i++) expect(same(first[i], second[i])).toBe(true);
            }
          },
        ),
        { numRuns: 1000 },
      );
    });

    it('should hold against strings that move text across the literal between two values', () => {
      fc.assert(
        fc.property(literal, literal, literal, str, str, str, (l0, l1, l2, x, y, z) => {
          const [a, b, c] = [l0, l1, l2].map((l) => l.replace(/[{}]/g, ''));
          let compiled;
          try {
            compiled = compile(`${a}{p}${b}{q}${c}`);
          } catch {
            return;
          }
          // Unescaped, x + b + y | z and x | y + b + z would render alike.
          const first = { p: x + b + y, q: z };
          const second = { p: x, q: y + b + z };
          if (compiled.render(first) === compiled.render(second)) {
            expect(same(first.p, second.p) && same(first.q, second.q)).toBe(true);
          }
        }),
        { numRuns: 2000 },
      );
    });

    it('should hold against strings that spell another value\u2019s text or rendering', () => {
      fc.assert(
        fc.property(fc.oneof(str, compound, num, scalarsOther), literal, (value, tail) => {
          const template = `k/{v}${tail.replace(/[{}]/g, '')}`;
          const key = render(template, { v: value });
          const rendered = key.slice(2, key.length - (template.length - 5));
          const json = typeof value === 'object' && value !== null && !(value instanceof Date);
          const spellings = [rendered, ...(json ? [stableStringify(canonical(value, ''))] : [])];
          for (const spelling of spellings) {
            if (typeof value === 'string' || json) {
              if (render(template, { v: spelling }) === key) expect(same(spelling, value)).toBe(true);
            }
          }
        }),
        { numRuns: 2000 },
      );
    });

    it('should hold for near-miss strings around a separator', () => {
      const piece = fc.constantFrom('', '-', '--', 'a', 'a-', '-a', '%', '%2D', '.', '/');
      fc.assert(
        fc.property(fc.tuple(piece, piece), fc.tuple(piece, piece), ([a1, b1], [a2, b2]) => {
          const k1 = render('sum-{a}-{b}.json', { a: a1, b: b1 });
          const k2 = render('sum-{a}-{b}.json', { a: a2, b: b2 });
          expect(k1 === k2).toBe(a1 === a2 && b1 === b2);
        }),
      );
    });
  });
});

describe('resultStorageKey in task runs', () => {
  it('should give each Map, Set, BigInt and NaN argument its own entry, not another call\u2019s result', async () => {
    const storage = new MemoryStorage();
    let calls = 0;
    const describeIt = task(
      { name: 'describe', resultStorageKey: 'd/{value}', resultStorage: storage },
      (value: unknown) => {
        calls++;
        return `call ${calls} (${typeof value})`;
      },
    );
    const values = [
      new Map([['a', 1]]),
      new Map([['a', 2]]),
      new Set([1]),
      new Set([2]),
      { id: 1n },
      { id: 2n },
      NaN,
      null,
      [undefined],
      [null],
    ];
    const results: unknown[] = [];
    for (const value of values) results.push(await describeIt(value));
    expect(new Set(results).size).toBe(values.length);
    expect(storage.size).toBe(values.length);
    // Each again: its own cached result.
    for (let i = 0; i < values.length; i++) expect(await describeIt(values[i])).toBe(results[i]);
    expect(calls).toBe(values.length);
  });

  it('should not crash a run given an invalid Date', async () => {
    const storage = new MemoryStorage();
    const stamp = task(
      { name: 'stamp', resultStorageKey: 'stamp-{when:yyyy-MM-dd}', resultStorage: storage },
      (when: Date) => String(when),
    );
    expect(names(await collect(stamp.run$(new Date(NaN))))).toEqual(['Pending', 'Running', 'Completed']);
    expect(await storage.exists('stamp-Invalid Date')).toBe(true);
  });

  it('should report a value it cannot render, run without the cache, and store nothing', async () => {
    const reports = captureReports();
    try {
      for (const policy of [undefined, NO_CACHE]) {
        const storage = new MemoryStorage();
        const call = task(
          { name: 'call', resultStorageKey: 'c/{fn}', resultStorage: storage, cachePolicy: policy },
          (fn: () => number) => fn(),
        );
        expect(names(await collect(call.run$(() => 7)))).toEqual(['Pending', 'Running', 'Completed']);
        expect(await call(() => 7)).toBe(7);
        expect(storage.size).toBe(0);
      }
      expect(reports.reports.map((r) => r.message.replace(/run '[\w-]+'/g, "run '…'"))).toEqual([
        ...Array<string>(2).fill(
          "task 'call' (run '…'): Cannot compute the storage key of task 'call': resultStorageKey parameter 'fn' holds a function (functions cannot be rendered); pass a value a key can be made of, or use cacheKeyFn. The run goes on without the cache.",
        ),
        ...Array<string>(2).fill(
          "task 'call' (run '…'): Cannot compute the storage key of task 'call': resultStorageKey parameter 'fn' holds a function (functions cannot be rendered); pass a value a key can be made of, or use cacheKeyFn. The result is not stored.",
        ),
      ]);
      expect(reports.reports.every((r) => isCacheKeyError(r.error))).toBe(true);
    } finally {
      reports.restore();
    }
  });

  it('should still find the entries of plain keys (INPUTS untouched)', async () => {
    const square = task({ name: 'square', cachePolicy: INPUTS }, (n: number) => n * n);
    expect(await square(3)).toBe(9);
    expect(names(await collect(square.run$(3)))).toEqual(['Pending', 'Cached']);
  });
});
