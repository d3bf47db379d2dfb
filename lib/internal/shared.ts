/**
 * @internal One engine per process, however many copies of rxflow it loads.
 *
 * A project can load rxflow twice: its ESM build through `import` and its CommonJS build through
 * `require` (a dependency that requires it, a tool that loads a config file with `require`).
 * Each copy has its own module instances, so state kept in module variables would exist twice:
 * `runStates$` of one copy would miss the runs of the other, a tag limit set through one would
 * not hold runs of the other, and so on. Every piece of process-wide state is therefore made
 * through {@link shared}: the first copy creates it and parks it on `globalThis` under
 * `Symbol.for('rxflow.shared@<version>')`; later copies of the same version take it from there.
 *
 * Copies of different versions keep their own state: their objects may differ in shape. The
 * version is {@link RXFLOW_VERSION}, which a spec keeps equal to package.json's.
 *
 * What stays per copy, on purpose: caches whose loss costs only time (hash memos, the canonical
 * walker pool, decoded results, UTF-8 coders, the timestamp cache, timer queues per scheduler),
 * the standalone task runner, the real timer functions `rxflow/testing` captured when it loaded,
 * the frame capture each copy's Node entry installs, and the worker-thread registries (a worker
 * loads the copy that started it).
 */
export const RXFLOW_VERSION = '0.1.0';

const REGISTRY = Symbol.for(`rxflow.shared@${RXFLOW_VERSION}`);

function registry(): Map<string, unknown> {
  const host = globalThis as { [REGISTRY]?: Map<string, unknown> };
  const found = host[REGISTRY];
  if (found instanceof Map) return found;
  const created = new Map<string, unknown>();
  try {
    Object.defineProperty(globalThis, REGISTRY, { value: created });
  } catch {
    // A frozen global (a hardened realm): this copy keeps its state to itself.
  }
  return created;
}

const values = registry();

/**
 * @internal The process-wide value under `key`: the one another copy of rxflow (of this version)
 * created, else `create()`'s, remembered for the copies loaded later. Call it once per module,
 * where the module declares its state.
 */
export function shared<T>(key: string, create: () => T): T {
  if (values.has(key)) return values.get(key) as T;
  const value = create();
  values.set(key, value);
  return value;
}
