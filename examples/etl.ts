/**
 * The main example (`npm start`): a small ETL flow, printed live, one line per state transition.
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
import {
  exponentialBackoff,
  flow,
  getRunContext,
  isTimeoutError,
  runStates$,
  task,
  type RunStateEvent,
} from '../lib/index.node.js';

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

// ---- a live line per state transition ---------------------------------------------------------

const t0 = Date.now();
const depth = new Map<string, number>();

function note(text: string): void {
  console.log(`${' '.repeat(9)}· ${text}`);
}

function name(error: unknown): string {
  return error instanceof Error ? error.name : String(error);
}

function describe({ state }: RunStateEvent): string {
  switch (state.name) {
    case 'AwaitingRetry':
      return `next attempt at +${seconds(state.details!.scheduledTime!)}s`;
    case 'Retrying':
      return `attempt ${state.details?.runCount}`;
    case 'Completed':
      return state.data === undefined ? '' : `→ ${summarize(state.data)}`;
    default:
      return state.message ?? '';
  }
}

function summarize(data: unknown): string {
  if (Array.isArray(data)) return `${data.length} rows`;
  const text = JSON.stringify(data);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function seconds(at: Date): string {
  return ((at.getTime() - t0) / 1000).toFixed(2);
}

function printTransition(event: RunStateEvent): void {
  const { run, state } = event;
  let level = depth.get(run.id);
  if (level === undefined) {
    level = run.parentRunId === undefined ? 0 : (depth.get(run.parentRunId) ?? 0) + 1;
    depth.set(run.id, level);
  }
  const who = `${'  '.repeat(level)}${run.name}`;
  console.log(
    `+${seconds(state.timestamp)}s  ${who.padEnd(24)} ${state.name.padEnd(14)} ${describe(event)}`.trimEnd(),
  );
}

async function main(): Promise<void> {
  const subscription = runStates$.subscribe(printTransition);
  try {
    const result = await etl('2024-06-01');
    console.log(`\nDone: ${result.loaded} rows loaded into daily_revenue for ${result.day}.`);
  } finally {
    subscription.unsubscribe();
  }
}

main().catch((error: unknown) => {
  console.error('The ETL flow failed:', error);
  process.exitCode = 1;
});
