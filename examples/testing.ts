/**
 * Property-testing a retrying flow with fast-check and `rxflow/testing`, in a plain script.
 *
 * The code under test is a nightly inventory sync: a flow fetches a warehouse's stock from a
 * flaky API (retried 4 times with exponential backoff from 60 s and 10 % jitter) and saves it.
 * fast-check generates failure scripts (0..8 failures of any kind: Errors, strings, undefined,
 * plain objects) and jitter seeds, and for each one the flow runs on a virtual clock:
 *
 * - the API is called exactly min(failures, retries) + 1 times;
 * - the sync ends Completed iff failures ≤ retries, else Failed, and saves only then;
 * - every wait between calls lies within delay × (1 ± jitter);
 * - the same seed gives the identical timeline twice.
 *
 * Up to about 16 minutes of backoff per case, 50 cases, in well under a second of real time. Then it
 * prints the timeline of one run, with the virtual timestamps of every state.
 *
 * Run it with `npx tsx examples/testing.ts`.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { exponentialBackoff, flow, getRunContext, task } from '../lib/index.node.js';
import {
  arbFailureScript,
  collectTimeline,
  delayBounds,
  flaky,
  sleep,
  withVirtualTime,
  type RetryPolicy,
} from '../lib/testing/index.node.js';

// ---- The code under test -------------------------------------------------------------------

type Stock = Record<string, number>;

const fetchPolicy: RetryPolicy = {
  retries: 4,
  retryDelaySeconds: exponentialBackoff(60),
  retryJitterFactor: 0.1,
};

/** The sync flow, built around its stock API client and its store (the real ones in production). */
function makeSyncInventory(
  getStock: (warehouse: string) => Promise<Stock>,
  putStock: (warehouse: string, stock: Stock) => Promise<number>,
) {
  const fetchStock = task(
    { name: 'fetch-stock', taskRunName: 'fetch-stock-{warehouse}', timeoutSeconds: 30, ...fetchPolicy },
    (warehouse: string) => getStock(warehouse),
  );
  const saveStock = task(
    { name: 'save-stock', taskRunName: 'save-stock-{warehouse}' },
    (warehouse: string, stock: Stock) => putStock(warehouse, stock),
  );
  return flow({ name: 'sync-inventory', flowRunName: 'sync-{warehouse}' }, async (warehouse: string) =>
    saveStock(warehouse, await fetchStock(warehouse)),
  );
}

// ---- The test ------------------------------------------------------------------------------

/** The stock API as the test sees it: fails as scripted, then answers after 1.5 (virtual) s. */
const scriptedApi = (script: unknown[]) =>
  flaky(script, async (warehouse: string): Promise<Stock> => {
    await sleep(1500, getRunContext().signal);
    return { [`${warehouse}-bolts`]: 120, [`${warehouse}-nuts`]: 80 };
  });

/** The store as the test sees it: a write takes half a (virtual) second. */
const slowStore = async (_warehouse: string, stock: Stock): Promise<number> => {
  await sleep(500, getRunContext().signal);
  return Object.keys(stock).length;
};

const stats = { cases: 0, completed: 0, failed: 0, failedAttempts: new Set<number>(), maxVirtualMs: 0 };

async function syncRetriesAsConfigured(script: unknown[], seed: number): Promise<void> {
  const api = scriptedApi(script);
  const syncInventory = makeSyncInventory(api, slowStore);
  const record = () =>
    withVirtualTime(() => collectTimeline(syncInventory.run$('berlin'), { children: true }), { seed });
  const timeline = await record();

  const failures = script.length;
  const succeeds = failures <= fetchPolicy.retries;
  assert.equal(api.calls, Math.min(failures, fetchPolicy.retries) + 1);
  const end = timeline.at(-1)!;
  assert.equal(`${end.run} ${end.name}`, `sync-berlin ${succeeds ? 'Completed' : 'Failed'}`);
  const saved = timeline.some((e) => e.run === 'save-stock-berlin' && e.name === 'Completed');
  assert.equal(saved, succeeds);
  delayBounds(fetchPolicy, api.calls - 1).forEach(({ min, max }, k) => {
    assert.ok(min <= api.gaps[k] && api.gaps[k] <= max, `wait ${k + 1} (${api.gaps[k]} ms) out of bounds`);
  });

  const callTimes = api.callTimes;
  api.reset();
  assert.deepEqual(await record(), timeline); // same seed: the same timeline, jitter included
  assert.deepEqual(api.callTimes, callTimes);

  stats.cases++;
  stats[succeeds ? 'completed' : 'failed']++;
  if (!succeeds) stats.failedAttempts.add(callTimes.length);
  stats.maxVirtualMs = Math.max(stats.maxVirtualMs, end.at);
}

const minutes = (ms: number) => `${Math.floor(ms / 60_000)}m ${Math.round((ms % 60_000) / 1000)}s`;

async function main(): Promise<void> {
  const started = performance.now();
  await fc.assert(fc.asyncProperty(arbFailureScript(), fc.nat(), syncRetriesAsConfigured), { numRuns: 50 });
  const realSeconds = ((performance.now() - started) / 1000).toFixed(2);
  const failedAfter = [...stats.failedAttempts].join(' or ') || 'no';
  console.log(`property held for ${stats.cases} generated cases (failure scripts × jitter seeds):`);
  console.log(`  ${stats.completed} syncs completed, ${stats.failed} failed after ${failedAfter} attempts`);
  console.log(
    `  up to ${minutes(stats.maxVirtualMs)} of virtual time per case, ${realSeconds} s of real time`,
  );

  // One run, step by step: three failures, then the API answers.
  const start = new Date('2025-06-01T02:00:00Z');
  const api = scriptedApi([new Error('502 Bad Gateway'), 'ECONNRESET', new Error('503 Service Unavailable')]);
  const timeline = await withVirtualTime(
    () => collectTimeline(makeSyncInventory(api, slowStore).run$('berlin'), { children: true }),
    { start, seed: 7 },
  );
  console.log(`\ntimeline of one run (3 planned failures, seed 7):`);
  for (const { at, kind, run, name } of timeline) {
    const when = new Date(start.getTime() + at).toISOString();
    console.log(`${when}  ${kind} ${run.padEnd(19)} ${name}`);
  }
  const waits = api.gaps.map((gap) => `${(gap / 1000).toFixed(1)} s`).join(', ');
  console.log(`waits between API calls: ${waits} (60, 120, 240 s ± 10 %)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
