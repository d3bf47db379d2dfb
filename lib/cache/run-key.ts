import type { RunInfo } from '../internal/run-scope.js';
import { describeValue as describe, errorMessage } from '../internal/describe-kind.js';
import { CacheKeyError, isCacheKeyError } from './cache-key-error.js';
import type { CacheKeyContext } from './cache-key-context.js';
import { canonical, stableStringify, UnhashableValueError } from './canonical.js';
import { sha256Hex, sourceHash } from './hash.js';
import type { ResultPlan } from './result-plan.js';
import { encodeParameters } from './task-input-hash.js';
import { fingerprint } from './key-memo.js';

const VERSION = 'rxflow.cacheKey/1';

/**
 * @internal The cache key of a task run, or null when its plan computes none for it (a
 * `cacheKeyFn` returning null, a policy none of whose parts applies). Every policy key hashes
 * the task's name and source with the parts, so two tasks never share an entry. Throws a
 * CacheKeyError when a value cannot be hashed or `cacheKeyFn` fails.
 */
export function runCacheKey(
  plan: ResultPlan,
  run: RunInfo,
  flowRun: RunInfo | undefined,
  task: CacheKeyContext['task'],
): string | null {
  const key = plan.key;
  if (key === undefined) return null;
  if (key.kind === 'template') {
    const rendered = plan.storageKey!.render(run.parameters);
    if (rendered === '') {
      throw new CacheKeyError(
        `Cannot compute the cache key of task '${plan.name}': resultStorageKey rendered ''`,
      );
    }
    return rendered;
  }
  if (key.kind === 'fn') {
    let out: unknown;
    try {
      out = key.fn({ task, taskRun: run, flowRun }, run.parameters);
    } catch (error) {
      if (isCacheKeyError(error)) throw error;
      throw new CacheKeyError(
        `Cannot compute the cache key of task '${plan.name}': its cacheKeyFn threw: ${errorMessage(error)}`,
        undefined,
        { cause: error },
      );
    }
    if (out === null || out === undefined) return null;
    if (typeof out !== 'string' || out === '') {
      throw new CacheKeyError(
        `Cannot compute the cache key of task '${plan.name}': its cacheKeyFn returned ${describe(out)}, expected a non-empty string or null`,
      );
    }
    return out;
  }
  const { parts, excluded } = key.policy;
  // The parts as given: arguments that encoding would leave as they are are looked up in the
  // definition's memo as they are (no copy, no encoding); anything else is encoded first.
  const given: unknown[] = [];
  let any = false;
  for (const part of parts) {
    switch (part) {
      case 'INPUTS':
        // As in Prefect, a run without arguments has no inputs part.
        if (hasKeys(run.parameters)) {
          given.push('i', withoutExcluded(run.parameters, excluded));
          any = true;
        }
        break;
      case 'TASK_SOURCE':
        given.push('s');
        any = true;
        break;
      case 'RUN_ID':
        given.push('r', run.flowRunId ?? run.id);
        any = true;
        break;
      case 'FLOW_PARAMETERS': {
        const parameters = flowRun?.parameters;
        if (parameters !== undefined && hasKeys(parameters)) {
          given.push('f', parameters);
          any = true;
        }
        break;
      }
    }
  }
  if (!any) return null;
  const memo = plan.memo.keys;
  const rawPrint = fingerprint(given, true);
  if (rawPrint !== undefined) {
    const known = memo.get(given, rawPrint);
    if (known !== undefined) return known;
  }
  const encoded = rawPrint !== undefined ? given : encodeParts(given, plan.name);
  const print = rawPrint ?? fingerprint(encoded, false)!;
  const known = rawPrint === undefined ? memo.get(encoded, print) : undefined;
  if (known !== undefined) return known;
  // The task's identity is the same for every run: hashed in, but not part of what the memo
  // compares.
  const text = stableStringify(encoded);
  const digest = sha256Hex(stableStringify([VERSION, plan.name, sourceHash(plan.fn), text]), false);
  if (text.length <= MEMO_TEXT_LIMIT) memo.set(encoded, print, digest);
  return digest;
}

/** The parts with their arguments encoded; throws a CacheKeyError naming the parameter. */
function encodeParts(given: readonly unknown[], taskName: string): unknown[] {
  const out = given.slice();
  for (let i = 0; i < out.length; i++) {
    const marker = out[i];
    if (marker === 'i')
      out[i + 1] = encodeParameters(out[i + 1] as Record<string, unknown>, taskName, undefined);
    else if (marker === 'f')
      out[i + 1] = encodeFlowParameters(out[i + 1] as Record<string, unknown>, taskName);
    // 'i', 'f' and 'r' are followed by their value; 's' stands alone.
    if (marker !== 's') i++;
  }
  return out;
}

function withoutExcluded(
  parameters: Readonly<Record<string, unknown>>,
  excluded: readonly string[],
): Readonly<Record<string, unknown>> {
  if (excluded.length === 0 || !excluded.some((name) => Object.hasOwn(parameters, name))) return parameters;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(parameters)) {
    if (excluded.includes(key)) continue;
    if (key === '__proto__') Object.defineProperty(out, key, { value: parameters[key], enumerable: true });
    else out[key] = parameters[key];
  }
  return out;
}

/** Parts longer than this (as text) are not remembered: copies of large inputs would cost memory. */
const MEMO_TEXT_LIMIT = 2048;

function hasKeys(record: Readonly<Record<string, unknown>>): boolean {
  for (const key in record) if (Object.hasOwn(record, key)) return true;
  return false;
}

function encodeFlowParameters(parameters: Readonly<Record<string, unknown>>, taskName: string): unknown {
  try {
    return canonical(parameters, '');
  } catch (error) {
    if (!(error instanceof UnhashableValueError)) throw error;
    throw new CacheKeyError(
      `Cannot compute the cache key of task '${taskName}': flow parameter '${error.first ?? error.path}' holds ${error.what} (${error.hint}); FLOW_PARAMETERS cannot key this flow's runs`,
      error.first,
      { cause: error },
    );
  }
}
