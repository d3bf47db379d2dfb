import fc from 'fast-check';
import { isResultRecordError } from '../../lib/index.node';
import { decodeRecord, encodeRecord } from '../../lib/results/result-record';

const header = { key: 'k', serializer: 'json', expiration: null, createdAt: 5 };

function problem(key: string, bytes: Uint8Array): string {
  try {
    decodeRecord(key, bytes);
  } catch (error) {
    expect(isResultRecordError(error)).toBe(true);
    return (error as Error).message;
  }
  return 'decoded';
}

describe('result records', () => {
  it('should decode what it encoded (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array(), fc.option(fc.nat()), (payload, expiration) => {
        const { bytes } = encodeRecord({ ...header, expiration }, payload);
        const decoded = decodeRecord('k', bytes);
        expect(decoded.payload).toEqual(payload);
        expect(decoded.header).toMatchObject({ key: 'k', expiration, length: payload.length });
      }),
    );
  });

  it('should refuse any truncation or single-byte change (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (payload, at, flip) => {
          const { bytes } = encodeRecord(header, payload);
          expect(problem('k', bytes.subarray(0, at % bytes.length))).not.toBe('decoded');
          const damaged = bytes.slice();
          damaged[at % bytes.length]! ^= flip;
          expect(problem('k', damaged)).not.toBe('decoded');
        },
      ),
    );
  });

  it('should say what is wrong', () => {
    const { bytes } = encodeRecord(header, new TextEncoder().encode('payload'));
    const damaged = bytes.slice();
    damaged[damaged.length - 1] = 0;
    expect([
      problem('k', bytes.subarray(0, 10)),
      problem('k', bytes.subarray(0, bytes.length - 2)),
      problem('k', damaged),
      problem('other', bytes),
      problem('k', new TextEncoder().encode('{"rxflow":2}\npayload')),
    ]).toMatchInlineSnapshot(`
     [
       "The stored result 'k' is truncated or not an rxflow result record",
       "The stored result 'k' is truncated or damaged: its checksum does not match",
       "The stored result 'k' is truncated or damaged: its checksum does not match",
       "The stored result 'other' was written under another key ('k')",
       "The stored result 'k' is truncated or not an rxflow result record",
     ]
    `);
  });
});
