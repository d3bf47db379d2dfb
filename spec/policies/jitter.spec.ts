import fc from 'fast-check';
import { configureClock, flow, task } from '../../lib/index.node';
import { applyJitter } from '../../lib/policies/jitter.js';
import { flaky, seededRandom, withVirtualTime } from '../../lib/testing/index.node';

describe('applyJitter', () => {
  it('should return the delay unchanged without calling random when the factor is 0', () => {
    const random = jest.fn(() => 0.9);
    expect(applyJitter(1234.5, 0, random)).toBe(1234.5);
    expect(random).not.toHaveBeenCalled();
  });

  it('should return 0 for a zero delay without calling random', () => {
    const random = jest.fn(() => 0.9);
    expect(applyJitter(0, 0.5, random)).toBe(0);
    expect(random).not.toHaveBeenCalled();
  });

  it('should map random 0, 0.5 and 0.75 to the low end, the delay and three quarters up', () => {
    expect(applyJitter(1000, 0.2, () => 0)).toBe(800);
    expect(applyJitter(1000, 0.2, () => 0.5)).toBe(1000);
    expect(applyJitter(1000, 0.5, () => 0.75)).toBe(1250);
  });

  it('should call random exactly once per jittered delay', () => {
    const random = jest.fn(() => 0.25);
    applyJitter(100, 0.1, random);
    expect(random).toHaveBeenCalledTimes(1);
  });

  it('should clamp at 0 when the factor is above 1', () => {
    expect(applyJitter(1000, 3, () => 0)).toBe(0);
    expect(applyJitter(1000, 3, () => 0.999)).toBeGreaterThan(3000);
  });

  it('should stay within delay × (1 ± factor), clamped at 0', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e7, noNaN: true }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (delay, factor, r) => {
          const jittered = applyJitter(delay, factor, () => r);
          expect(jittered).toBeGreaterThanOrEqual(Math.max(0, delay * (1 - factor)));
          expect(jittered).toBeLessThanOrEqual(delay * (1 + factor));
        },
      ),
    );
  });

  it('should be a pure function of its inputs', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 1e6 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (delay, factor, r) => {
          expect(applyJitter(delay, factor, () => r)).toBe(applyJitter(delay, factor, () => r));
        },
      ),
    );
  });

  it('should spread delays over the whole range for a uniform random source', () => {
    // A seeded LCG: deterministic, but covers [0, 1).
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const delays = Array.from({ length: 2000 }, () => applyJitter(1000, 0.5, random));
    expect(Math.min(...delays)).toBeLessThan(520);
    expect(Math.max(...delays)).toBeGreaterThan(1480);
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    expect(Math.abs(mean - 1000)).toBeLessThan(25);
  });
});

describe("the engine's retry jitter", () => {
  /** A clock random source pinned near one end of [0, 1), varied so that run ids stay distinct. */
  const near = (end: 0 | 1) => {
    const next = seededRandom(7);
    return () => (end === 0 ? next() * 1e-6 : 1 - 1e-6 + next() * 1e-6 * 0.999);
  };

  /** Gaps between the attempts of a task and of a flow, each retried `retries` times after 10 s × (1 ± 0.5). */
  async function gapsUnder(random: () => number): Promise<(readonly number[])[]> {
    const restore = configureClock({ random });
    try {
      // No seed: withVirtualTime keeps the enclosing clock's random source.
      return await withVirtualTime(async () => {
        const taskBody = flaky(3, () => 'ok');
        await task(
          { name: 'jittered', retries: 3, retryDelaySeconds: 10, retryJitterFactor: 0.5 },
          taskBody,
        )();
        const flowBody = flaky(2, () => 'ok');
        await flow(
          { name: 'jittered-flow', retries: 2, retryDelaySeconds: [20], retryJitterFactor: 0.5 },
          flowBody,
        )();
        return [taskBody.gaps, flowBody.gaps];
      });
    } finally {
      restore();
    }
  }

  it('should draw from the clock random source, for tasks and flows alike', async () => {
    const low = await gapsUnder(near(0));
    const high = await gapsUnder(near(1));
    // delay × (1 + 0.5 × (2r − 1)): r ≈ 0 gives half the delay, r ≈ 1 one and a half times it.
    const round = (runs: (readonly number[])[]) =>
      runs.map((gaps) => gaps.map((gap) => Math.round(gap / 10) * 10));
    expect(round(low)).toEqual([
      [5000, 5000, 5000],
      [10000, 10000],
    ]);
    expect(round(high)).toEqual([
      [15000, 15000, 15000],
      [30000, 30000],
    ]);
  });
});
