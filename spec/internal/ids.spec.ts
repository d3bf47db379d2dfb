import { DEFAULT_RANDOM, type Clock } from '../../lib/internal/clock';
import {
  flowRunName,
  newRunId,
  reservedRunName,
  reserveRunId,
  runIdPrefix,
  runIdText,
  taskRunName,
} from '../../lib/internal/ids';
import { asyncScheduler } from 'rxjs';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A small deterministic random source for the seeded paths. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const defaultClock: Clock = { scheduler: asyncScheduler, random: DEFAULT_RANDOM };
const seeded = (seed: number): Clock => ({ scheduler: asyncScheduler, random: lcg(seed) });

describe('newRunId', () => {
  it('should make unique UUID-shaped ids on the default clock', () => {
    const ids = Array.from({ length: 2000 }, () => newRunId(defaultClock));
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('should draw ids from a clock’s own random source, reproducibly', () => {
    const a = [newRunId(seeded(7)), newRunId(seeded(7))];
    expect(a[0]).toMatch(UUID);
    expect(a[0]).toBe(a[1]);
    expect(newRunId(seeded(8))).not.toBe(a[0]);
  });
});

describe('reserveRunId', () => {
  it('should reserve ids that read like newRunId’s, in sequence with them, named alike', () => {
    const before = newRunId(defaultClock);
    const counter = reserveRunId(defaultClock)!;
    const prefix = runIdPrefix();
    const after = newRunId(defaultClock);
    const id = runIdText(prefix, counter);
    expect(id).toMatch(UUID);
    expect(new Set([before, id, after]).size).toBe(3);
    // The counter sits between the ids made before and after it.
    expect(parseInt(id.slice(-6), 16)).toBe(parseInt(before.slice(-6), 16) + 1);
    expect(parseInt(after.slice(-6), 16)).toBe(parseInt(id.slice(-6), 16) + 1);
    expect(reservedRunName('step', counter)).toBe(`step-${id.slice(-3)}`);
  });

  it('should not reserve on a clock with its own random source', () => {
    expect(reserveRunId(seeded(1))).toBeUndefined();
  });
});

describe('taskRunName', () => {
  it('should end with the last three hex digits of the id, for the newest id and any other', () => {
    const ids = Array.from({ length: 5000 }, () => newRunId(defaultClock));
    const newest = ids.at(-1)!;
    expect(taskRunName('fetch', newest)).toBe(`fetch-${newest.slice(-3)}`);
    for (const id of ids) expect(taskRunName('fetch', id)).toBe(`fetch-${id.slice(-3)}`);
    const seededId = newRunId(seeded(3));
    expect(taskRunName('t', seededId)).toBe(`t-${seededId.slice(-3)}`);
  });
});

describe('flowRunName', () => {
  it('should make an adjective-animal name from the clock’s random source', () => {
    expect(flowRunName(defaultClock)).toMatch(/^[a-z]+-[a-z]+$/);
    expect(flowRunName(seeded(3))).toBe(flowRunName(seeded(3)));
  });
});
