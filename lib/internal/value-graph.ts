import { isPlainObject } from './is-plain-object.js';

/**
 * How deep the walks below look into nested arrays and plain objects: a container first met at
 * this depth is not opened. Values passed to tasks are data, rarely deeper than a few levels.
 */
const MAX_DEPTH = 32;

/** @internal Whether a walk opens `value`: arrays and plain objects, not class instances. */
function isContainer(value: object): boolean {
  return Array.isArray(value) || isPlainObject(value);
}

/**
 * @internal Adds to `found` every value `isTarget` accepts in `root`, also inside arrays and
 * plain objects (not inside a target), and returns it (a new array only when one is found).
 * Each container is opened once, at its first meeting in depth-first order, so shared and
 * cyclic graphs take time linear in their size; {@link replaceInGraph} follows the same order
 * and rules, so it reaches exactly the targets found here (given the same data). Nothing is
 * allocated for a primitive or a container of primitives: the set of containers seen starts
 * at the first nested one.
 */
export function collectInGraph<T extends object>(
  root: unknown,
  isTarget: (value: object) => value is T,
  found: T[] | undefined,
): T[] | undefined {
  if (root === null || typeof root !== 'object') return found;
  if (isTarget(root)) {
    (found ??= []).push(root);
    return found;
  }
  return isContainer(root) ? collectFrom(root, isTarget, found, 0, undefined) : found;
}

function collectFrom<T extends object>(
  value: object,
  isTarget: (value: object) => value is T,
  found: T[] | undefined,
  depth: number,
  seen: Set<object> | undefined,
): T[] | undefined {
  const keys = Array.isArray(value) ? undefined : Object.keys(value);
  const count = keys === undefined ? (value as unknown[]).length : keys.length;
  for (let i = 0; i < count; i++) {
    const item: unknown =
      keys === undefined ? (value as unknown[])[i] : (value as Record<string, unknown>)[keys[i]!];
    if (item === null || typeof item !== 'object') continue;
    if (isTarget(item)) {
      (found ??= []).push(item);
      continue;
    }
    if (!isContainer(item)) continue;
    // Only the root call gets here without a set: nested calls are handed the root's.
    if (seen === undefined) {
      seen = new Set();
      seen.add(value);
    }
    if (seen.has(item)) continue;
    seen.add(item);
    if (depth + 1 < MAX_DEPTH) found = collectFrom(item, isTarget, found, depth + 1, seen);
  }
  return found;
}

/**
 * @internal Copies of `roots` with every value `isTarget` accepts replaced by `map(value)`, also
 * inside arrays and plain objects. Only the containers that lead to a target are copied; the
 * others are shared, not copied. The copies keep the graph's shape: a container reached twice
 * (from one root or several) is one copy, and a cycle stays a cycle. Walks as
 * {@link collectInGraph} does (each container opened once, at its first meeting, the same
 * depth limit); with several roots, one walk over all of them (so only a container near the
 * depth limit can be opened by one walk and not by the other).
 */
export function replaceInGraph<T extends object>(
  roots: readonly unknown[],
  isTarget: (value: object) => value is T,
  map: (target: T) => unknown,
): unknown[] {
  // First which containers lead to a target (through cycles too), then their copies.
  const walk: Marking = { seen: new Set(), holders: new Map(), dirty: new Set() };
  for (const root of roots) {
    if (root === null || typeof root !== 'object' || isTarget(root) || !isContainer(root)) continue;
    if (walk.seen.has(root)) continue;
    walk.seen.add(root);
    mark(root, isTarget, 0, walk);
  }
  const { holders, dirty } = walk;
  const pending = [...dirty];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    for (const holder of holders.get(next) ?? []) {
      if (dirty.has(holder)) continue;
      dirty.add(holder);
      pending.push(holder);
    }
  }
  const copies = new Map<object, Record<string | number, unknown>>();
  for (const value of dirty) {
    copies.set(
      value,
      Array.isArray(value)
        ? (new Array(value.length) as unknown as Record<number, unknown>)
        : Object.getPrototypeOf(value) === null
          ? (Object.create(null) as Record<string, unknown>)
          : {},
    );
  }
  for (const [value, out] of copies) {
    const keys = Array.isArray(value) ? undefined : Object.keys(value);
    const count = keys === undefined ? (value as unknown[]).length : keys.length;
    for (let i = 0; i < count; i++) {
      const key = keys === undefined ? i : keys[i]!;
      const item = (value as Record<string | number, unknown>)[key];
      let next = item;
      if (item !== null && typeof item === 'object') {
        if (isTarget(item)) next = map(item);
        else next = copies.get(item) ?? item;
      }
      if (key === '__proto__') {
        Object.defineProperty(out, key, {
          value: next,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else out[key] = next;
    }
  }
  return roots.map((root) => {
    if (root === null || typeof root !== 'object') return root;
    return isTarget(root) ? map(root) : (copies.get(root) ?? root);
  });
}

/** What the first pass of {@link replaceInGraph} learns. */
interface Marking {
  /** Containers met (opened unless met at the depth limit). */
  readonly seen: Set<object>;
  /** For each container met, the containers that hold it. */
  readonly holders: Map<object, object[]>;
  /** The containers that hold a target, then (after propagation) those that lead to one. */
  readonly dirty: Set<object>;
}

function mark<T extends object>(
  value: object,
  isTarget: (value: object) => value is T,
  depth: number,
  walk: Marking,
): void {
  const keys = Array.isArray(value) ? undefined : Object.keys(value);
  const count = keys === undefined ? (value as unknown[]).length : keys.length;
  for (let i = 0; i < count; i++) {
    const item: unknown =
      keys === undefined ? (value as unknown[])[i] : (value as Record<string, unknown>)[keys[i]!];
    if (item === null || typeof item !== 'object') continue;
    if (isTarget(item)) {
      walk.dirty.add(value);
      continue;
    }
    if (!isContainer(item)) continue;
    const holders = walk.holders.get(item);
    if (holders === undefined) walk.holders.set(item, [value]);
    else holders.push(value);
    if (walk.seen.has(item)) continue;
    walk.seen.add(item);
    if (depth + 1 < MAX_DEPTH) mark(item, isTarget, depth + 1, walk);
  }
}
