import { identity, map, NEVER } from 'rxjs';

/**
 * @internal Instances kept for the life of the process, one per hot class, so that V8 keeps
 * their hidden classes.
 *
 * V8 holds the map transitions that class fields create weakly: when a full GC finds no live
 * instance of a class (a burst of runs has ended, the process idled), it frees those maps and
 * clears the inline caches that referred to them, and the optimised code of every function
 * that used them is thrown away. The next burst then runs in the interpreter until V8 has
 * learnt the shapes again: in the benchmarks, which force a full GC before each pass, that
 * made a concurrency-limited fan-out 1.6× slower and a task run 6% slower. One idle instance
 * per class keeps the maps, the caches and the code alive. See docs/design.md, "Performance".
 */
const kept: object[] = [];

// RxJS's own subscriber classes, which every operator pipeline is made of (`OperatorSubscriber`
// behind `map`, `reduce` and the rest; `SafeSubscriber` behind `subscribe` and `lastValueFrom`):
// an idle subscription to NEVER keeps one of each (B2: 0.24 → 0.19 µs per item). It holds no
// timer and no handle.
kept.push(NEVER.pipe(map(identity)).subscribe());

/** Keeps `instance` alive for the life of the process, and returns it. */
export function keepShape<T extends object>(instance: T): T {
  kept.push(instance);
  return instance;
}
