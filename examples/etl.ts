/**
 * The main example (`npm start`): a small ETL flow, shown live by `consoleReporter` from
 * `rxflow/node`: in a terminal, a live tree of the runs in flight above which each finished run
 * stays; in a pipe or a CI log, one line per state transition.
 *
 * - `extract` calls a flaky orders API that answers 503 twice, so the task retries with
 *   exponential backoff (0.1 s, then 0.2 s) and succeeds on its third attempt.
 * - `transform` is a plain synchronous task.
 * - `load` has a 0.5 s timeout; its first attempt hangs on a slow warehouse, times out (its
 *   AbortSignal fires, so the fake request stops at once), and the retry succeeds.
 * - `notify` has a 0.2 s timeout and no retries; it times out and the flow catches the
 *   `TimeoutError`: a best-effort step must not fail the whole run.
 *
 * Run it with `npm start` (or `npx tsx examples/etl.ts`); it finishes in about a second.
 */
import { exponentialBackoff, flow, getRunContext, isTimeoutError, task } from '../lib/index.node.js';
import { consoleReporter } from '../lib/node/index.js';

interface Order {
  id: number;
  region: 'eu' | 'us';
  cents: number;
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts (as `fetch` does). */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

// ---- the fake outside world -------------------------------------------------------------------

/** An orders API that is unavailable for its first two calls. */
let apiCalls = 0;
async function fetchOrders(day: string, signal: AbortSignal): Promise<Order[]> {
  await delay(40, signal);
  if (++apiCalls <= 2) throw new Error(`GET /orders?day=${day}: 503 Service Unavailable`);
  return [
    { id: 1, region: 'eu', cents: 1250 },
    { id: 2, region: 'us', cents: 4999 },
    { id: 3, region: 'eu', cents: 800 },
    { id: 4, region: 'us', cents: 1501 },
  ];
}

/** A warehouse whose first write hangs for 5 s; later writes take 20 ms. */
let writes = 0;
async function writeRows(table: string, rows: readonly object[], signal: AbortSignal): Promise<number> {
  await delay(++writes === 1 ? 5000 : 20, signal);
  return rows.length;
}

// ---- tasks and the flow -----------------------------------------------------------------------

const extract = task(
  { name: 'extract', taskRunName: 'extract-{day}', retries: 3, retryDelaySeconds: exponentialBackoff(0.1) },
  async (day: string) => {
    const { signal, taskRun } = getRunContext();
    try {
      return await fetchOrders(day, signal);
    } catch (error) {
      note(`extract attempt ${taskRun?.runCount} failed: ${(error as Error).message}`);
      throw error;
    }
  },
);

const transform = task({ name: 'transform', taskRunName: 'transform' }, (orders: Order[]) => {
  const totals = { eu: 0, us: 0 };
  for (const order of orders) totals[order.region] += order.cents / 100;
  return Object.entries(totals).map(([region, total]) => ({ region, total }));
});

const load = task(
  { name: 'load', taskRunName: 'load-{table}', timeoutSeconds: 0.5, retries: 1, retryDelaySeconds: 0.1 },
  async (table: string, rows: { region: string; total: number }[]) => {
    const { signal, taskRun } = getRunContext();
    try {
      return await writeRows(table, rows, signal);
    } catch (error) {
      if (signal.aborted)
        note(`load attempt ${taskRun?.runCount} stopped: its signal aborted (${name(error)})`);
      throw error;
    }
  },
);

const notify = task(
  { name: 'notify', taskRunName: 'notify', timeoutSeconds: 0.2 },
  async (message: string) => {
    await delay(2000, getRunContext().signal); // a webhook that never answers in time
    return message;
  },
);

const etl = flow({ name: 'etl', flowRunName: 'etl-{day}' }, async (day: string) => {
  const orders = await extract(day);
  const rows = await transform(orders);
  const loaded = await load('daily_revenue', rows);
  try {
    await notify(`loaded ${loaded} rows for ${day}`);
  } catch (error) {
    if (!isTimeoutError(error)) throw error;
    note(`notification skipped: ${error.message}`);
  }
  return { day, loaded };
});

// ---- the live report ------------------------------------------------------------------------

/** What the fake outside world says, between the reporter's lines. */
function note(text: string): void {
  console.log(`${' '.repeat(8)}· ${text}`);
}

function name(error: unknown): string {
  return error instanceof Error ? error.name : String(error);
}

async function main(): Promise<void> {
  // A live tree on a terminal, a line per state change elsewhere; a summary when the flow ends.
  const reporter = consoleReporter();
  try {
    const result = await etl('2024-06-01');
    console.log(`\nDone: ${result.loaded} rows loaded into daily_revenue for ${result.day}.`);
  } finally {
    reporter.stop();
  }
}

main().catch((error: unknown) => {
  console.error('The ETL flow failed:', error);
  process.exitCode = 1;
});
