import { loadEntry, type ResultTarget } from './result-store.js';
import { serializerName } from './result-serializer.js';
import { collectInGraph, replaceInGraph } from '../internal/value-graph.js';

/**
 * A persisted result that is not kept in memory: what a COMPLETED state's `data` holds when its
 * task or flow has `cacheResultInMemory: false`. `future.result()`, calling the task, and
 * passing the future to another task load it for you; `load()` reads it from its storage
 * whenever you need it (and rejects with a `ResultRecordError` if it is gone or damaged).
 * @example
 * ```ts
 * const big = task({ persistResult: true, cacheResultInMemory: false }, () => buildReport());
 * const state = await big.submit().wait();
 * if (isResultReference(state.data)) console.log(state.data.storageKey, await state.data.load());
 * ```
 */
export class ResultReference<R = unknown> {
  /** The key of the record in its storage. */
  readonly storageKey: string;
  /** @internal */
  readonly target: ResultTarget;

  /** @internal Created by the engine. */
  constructor(storageKey: string, target: ResultTarget) {
    this.storageKey = storageKey;
    this.target = target;
    Object.freeze(this);
  }

  /** Reads and decodes the result. */
  load(): Promise<R> {
    return loadEntry(this.target, this.storageKey) as Promise<R>;
  }

  /** `{ storageKey, serializer }`: what a reference is, as data. */
  toJSON(): { storageKey: string; serializer: string } {
    return { storageKey: this.storageKey, serializer: serializerName(this.target.serializer) };
  }
}

/**
 * True when `value` is a {@link ResultReference}: a completed state's `data` when its run kept
 * its result only in storage.
 * @example
 * ```ts
 * const value = isResultReference(state.data) ? await state.data.load() : state.data;
 * ```
 */
export function isResultReference(value: unknown): value is ResultReference {
  return value instanceof ResultReference;
}

/**
 * @internal A COMPLETED state's result: its `data`, or the loaded value when `data` is a
 * {@link ResultReference}. Synchronous unless it has to load.
 */
export function resultOf(data: unknown): unknown {
  return data instanceof ResultReference ? data.load() : data;
}

/** @internal True when `value` holds a {@link ResultReference}, also inside arrays and plain objects. */
export function holdsResultReference(value: unknown): boolean {
  return collectInGraph(value, isResultReference, undefined) !== undefined;
}

/**
 * @internal A copy of `value` with every {@link ResultReference} (also inside arrays and plain
 * objects) replaced by its loaded result; parts without references are shared. Each reference
 * is loaded once, however often it appears.
 */
export async function loadResultReferences(value: unknown): Promise<unknown> {
  const found = collectInGraph(value, isResultReference, undefined);
  if (found === undefined) return value;
  const references = [...new Set(found)];
  const loaded = await Promise.all(references.map((reference) => reference.load()));
  const byReference = new Map<ResultReference, unknown>();
  references.forEach((reference, i) => byReference.set(reference, loaded[i]));
  return replaceInGraph([value], isResultReference, (reference) => byReference.get(reference))[0];
}

/** @internal {@link resultOf} for a list of states: a Promise only when one has to load. */
export function resultsOf(states: readonly { readonly data?: unknown }[]): unknown[] | Promise<unknown[]> {
  let loads = false;
  const out = states.map((state) => {
    const data = state.data;
    if (data instanceof ResultReference) {
      loads = true;
      return data.load();
    }
    return data;
  });
  return loads ? Promise.all(out) : out;
}
