import fc from 'fast-check';
import { jsonSerializer } from '../../lib/index.node';

const roundTrip = (value: unknown) => jsonSerializer.loads(jsonSerializer.dumps(value));

describe('jsonSerializer', () => {
  it("should be named 'json' and round-trip Dates, Maps, Sets, BigInt, undefined, -0, RegExps, errors and typed arrays", () => {
    const value = {
      at: new Date(Date.UTC(2024, 5, 3)),
      byId: new Map<unknown, unknown>([
        [1, { name: 'ada' }],
        ['two', [1, 2]],
      ]),
      tags: new Set(['a', 'b']),
      big: 12345678901234567890n,
      missing: undefined,
      list: [undefined, null, -0],
      pattern: /ab+c/gi,
      error: new RangeError('out of range'),
      bytes: new Uint8Array([1, 2, 255]).subarray(1),
      floats: new Float64Array([1.5, -2]),
    };
    const back = roundTrip(value) as typeof value;
    expect(back).toEqual(value);
    expect(Object.is(back.list[2], -0)).toBe(true);
    expect(back.error).toBeInstanceOf(RangeError);
    expect(back.bytes).toBeInstanceOf(Uint8Array);
    expect(jsonSerializer.name).toBe('json');
  });

  it('should keep shared and circular references', () => {
    const shared = { n: 1 };
    const loop: Record<string, unknown> = { shared, again: shared };
    loop.self = loop;
    const back = roundTrip(loop) as Record<string, unknown>;
    expect(back.self).toBe(back);
    expect(back.shared).toBe(back.again);
  });

  it('should round-trip any JSON-like value (property)', () => {
    fc.assert(
      fc.property(
        fc.jsonValue().filter((v) => !JSON.stringify(v).includes('-0')),
        (value) => {
          expect(roundTrip(value)).toEqual(value);
        },
      ),
    );
  });

  it('should refuse what it would silently change, saying where', () => {
    class Money {
      constructor(readonly cents: number) {}
    }
    class HttpError extends Error {}
    const coded = Object.assign(new Error('nope'), { code: 'E42' });
    const messages = [
      { total: NaN },
      { ratio: [1, Infinity] },
      { onDone: () => undefined },
      { id: Symbol('x') },
      { price: new Money(5) },
      { error: new HttpError('bad') },
      { error: coded },
      { samples: new Float32Array([1, NaN]) },
      { wide: new BigInt64Array([1n]) },
    ].map((value) => {
      try {
        jsonSerializer.dumps(value);
      } catch (error) {
        return (error as Error).message;
      }
      return 'no error';
    });
    expect(messages).toMatchInlineSnapshot(`
     [
       "The 'json' result serializer cannot store NaN at result.total; return plain data, or give the task a resultSerializer that can",
       "The 'json' result serializer cannot store Infinity at result.ratio[1]; return plain data, or give the task a resultSerializer that can",
       "The 'json' result serializer cannot store a function at result.onDone; return plain data, or give the task a resultSerializer that can",
       "The 'json' result serializer cannot store a symbol at result.id; return plain data, or give the task a resultSerializer that can",
       "The 'json' result serializer cannot store a Money instance at result.price (it would come back as a plain object); return plain data, or give the task a resultSerializer that can",
       "The 'json' result serializer cannot store a HttpError at result.error (a custom error class would come back as a plain Error); return plain data, or give the task a resultSerializer that can",
       "The 'json' result serializer cannot store an Error with own properties at result.error (code would be lost); return plain data, or give the task a resultSerializer that can",
       "The 'json' result serializer cannot store NaN (an element) at result.samples; return plain data, or give the task a resultSerializer that can",
       "The 'json' result serializer cannot store a BigInt64Array at result.wide; return plain data, or give the task a resultSerializer that can",
     ]
    `);
  });

  it('should throw on bytes that are not its own', () => {
    expect(() => jsonSerializer.loads(new Uint8Array([0xff, 0xfe]))).toThrow();
    expect(() => jsonSerializer.loads(new TextEncoder().encode('{"not":"structured"}'))).toThrow();
  });
});
