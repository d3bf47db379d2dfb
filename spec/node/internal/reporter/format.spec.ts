import fc from 'fast-check';
import { duration } from '../../../../lib/node/internal/reporter/format';

/** Reads a duration back, in ms, and the rounding it may hide (half its smallest unit). */
function parse(text: string): { ms: number; slack: number } {
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  expect(parts.map((p) => p[0]).join(' ')).toBe(text);
  const ms = parts.reduce((sum, [, n, u]) => sum + Number(n) * unit[u!]!, 0);
  const last = parts.at(-1)![2]!;
  // Alone, seconds keep two decimals; after minutes they are whole. A lone `2m`, `1h` or `3d`
  // dropped a zero part of the next unit down.
  const below: Record<string, number> = { m: 1000, h: 60_000, d: 3_600_000 };
  const step =
    last === 'ms'
      ? 1
      : last === 's'
        ? parts.length === 1
          ? 10
          : 1000
        : parts.length === 1
          ? below[last]!
          : unit[last]!;
  return { ms, slack: step / 2 };
}

describe('duration', () => {
  it('should read as a person writes a duration', () => {
    expect(
      [
        0, 0.4, 62.367145964711, 999.4, 999.6, 1000, 1500, 12_250, 59_994, 59_996, 125_000, 3_599_400,
        5_400_000, 86_400_000, 273_600_000,
      ].map(duration),
    ).toEqual([
      '0ms',
      '0ms',
      '62ms',
      '999ms',
      '1s',
      '1s',
      '1.5s',
      '12.25s',
      '59.99s',
      '1m',
      '2m 5s',
      '59m 59s',
      '1h 30m',
      '1d',
      '3d 4h',
    ]);
    expect([-5, Infinity, NaN].map(duration)).toEqual(['0ms', 'Infinity', 'NaN']);
  });

  it('should stay within half its smallest unit of the real duration', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 30 * 86_400_000, noNaN: true }), (ms) => {
        const text = duration(ms);
        expect(text).toMatch(/^(\d+ms|\d+(\.\d{1,2})?s|\d+m( \d+s)?|\d+h( \d+m)?|\d+d( \d+h)?)$/);
        const { ms: read, slack } = parse(text);
        expect(Math.abs(read - ms)).toBeLessThanOrEqual(slack + 1e-6);
      }),
      { numRuns: 2000 },
    );
  });
});
