import fc from 'fast-check';
import { applyJitter } from '../../lib/policies/jitter.js';

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
