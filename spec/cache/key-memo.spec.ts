import fc from 'fast-check';
import { INPUTS, MemoryStorage, task } from '../../lib/index.node';
import { canonical, stableStringify } from '../../lib/cache/canonical';
import { fingerprint, KeyMemo } from '../../lib/cache/key-memo';
import { collect, names } from '../engine/support';

const arbData: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('', 'a', 'b', '\u0000x', 'long '.repeat(20)),
    fc.constantFrom(0, -0, 1, 1.5, NaN, Infinity, 2 ** 40),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.constant(1n),
    fc.constant(new Date(0)),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c', '__proto__'), tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** The text a key is hashed from, or the refusal: the ground truth the memo must agree with. */
const textOf = (value: unknown) => stableStringify(canonical(value, ''));

/** Looks `value` up as the engine does: as given when plain enough, else encoded. */
function lookup(memo: KeyMemo, value: unknown): string | undefined {
  const raw = fingerprint(value, true);
  if (raw !== undefined) return memo.get(value, raw);
  const encoded = canonical(value, '');
  return memo.get(encoded, fingerprint(encoded, false)!);
}

describe('KeyMemo', () => {
  it('should answer a lookup exactly when the value encodes to the text it recorded (property)', () => {
    fc.assert(
      fc.property(arbData, arbData, (a, b) => {
        const memo = new KeyMemo(8);
        const encoded = canonical(a, '');
        memo.set(encoded, fingerprint(encoded, false)!, 'key-a');
        expect(lookup(memo, a)).toBe('key-a');
        expect(lookup(memo, b) === 'key-a').toBe(textOf(a) === textOf(b));
      }),
    );
  });

  it('should tell values apart by equality when their fingerprints collide (forced collision, property)', () => {
    // Every entry under one fingerprint: only the structural comparison decides.
    const COLLIDING = 7;
    fc.assert(
      fc.property(arbData, arbData, (a, b) => {
        const memo = new KeyMemo(8);
        memo.set(canonical(a, ''), COLLIDING, 'key-a');
        expect(memo.get(canonical(a, ''), COLLIDING)).toBe('key-a');
        expect(memo.get(canonical(b, ''), COLLIDING) === 'key-a').toBe(textOf(a) === textOf(b));
      }),
    );
  });

  it('should not match a recorded object to one with an extra or a missing property under the same fingerprint', () => {
    const memo = new KeyMemo(8);
    memo.set({ a: 1, nested: { b: 2 } }, 7, 'k');
    expect(memo.get({ a: 1, nested: { b: 2 } }, 7)).toBe('k');
    expect(memo.get({ a: 1, nested: { b: 2 }, extra: 3 }, 7)).toBeUndefined();
    expect(memo.get({ a: 1, nested: { b: 2, extra: null } }, 7)).toBeUndefined();
    expect(memo.get({ a: 1 }, 7)).toBeUndefined();
    expect(memo.get({ a: 1, nested: {} }, 7)).toBeUndefined();
    // An undefined property is no property (JSON drops it).
    expect(memo.get({ a: 1, nested: { b: 2 }, gone: undefined }, 7)).toBe('k');
  });

  it('should keep its own copy: changing the arguments afterwards changes nothing recorded', () => {
    const memo = new KeyMemo(8);
    const value = { rows: [1, 2], opts: { deep: true } };
    memo.set(value, fingerprint(value, false)!, 'k');
    value.rows.push(3);
    value.opts.deep = false;
    expect(lookup(memo, value)).toBeUndefined();
    expect(lookup(memo, { opts: { deep: true }, rows: [1, 2] })).toBe('k');
  });

  it('should forget the oldest entry past its limit', () => {
    const memo = new KeyMemo(2);
    for (const n of [1, 2, 3]) memo.set({ n }, fingerprint({ n }, false)!, `k${n}`);
    expect([lookup(memo, { n: 1 }), lookup(memo, { n: 2 }), lookup(memo, { n: 3 })]).toEqual([
      undefined,
      'k2',
      'k3',
    ]);
    expect(memo.size).toBe(2);
  });

  it('should not let a mutated argument hit the entry of its old value', async () => {
    const storage = new MemoryStorage();
    const rows = ['a'];
    const count = task(
      { name: 'count', cachePolicy: INPUTS, resultStorage: storage },
      (list: string[]) => list.length,
    );
    expect(await count(rows)).toBe(1);
    rows.push('b');
    expect(names(await collect(count.run$(rows)))).toEqual(['Pending', 'Running', 'Completed']);
    expect(await count(rows)).toBe(2);
    expect(await count(['a'])).toBe(1);
  });
});
