/**
 * Spreads `delay` uniformly within `delay × (1 ± factor)`, clamped at 0, using `random()` in
 * [0, 1). With `factor` 0 it returns `delay` unchanged and does not call `random`. A pure
 * function of its inputs: inject a seeded `random` for reproducible schedules.
 */
export function applyJitter(delay: number, factor: number, random: () => number): number {
  if (factor === 0 || delay === 0) return delay;
  return Math.max(0, delay * (1 + factor * (2 * random() - 1)));
}
