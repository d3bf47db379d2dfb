import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { extractRegions, guideBlocks, matchesOutput } from './doc-blocks';

/**
 * Every file in examples/ runs as its own process, from source, exactly as a reader would run
 * it (`npx tsx examples/<file>.ts`): it must exit 0, write nothing to stderr, and print the
 * lines that show its point. The guides in docs/ quote marked regions of examples/docs/*.ts
 * exactly, and show what some of them print (doc-blocks.ts says how).
 */

const root = resolve(__dirname, '../..');
const examplesDir = join(root, 'examples');
const docsDir = join(root, 'docs');

/** Per example (path relative to examples/): patterns its output must match, in order. */
const expectations: Record<string, RegExp[]> = {
  'etl.ts': [
    /^\+0\.\d\ds {2}etl-2024-06-01 +Pending\n/m,
    /^\+\d\.\d\ds {4}extract-2024-06-01 +Running\n/m,
    /· extract attempt 1 failed: GET \/orders\?day=2024-06-01: 503 Service Unavailable\n/,
    /extract-2024-06-01 +AwaitingRetry +Retry 1\/3 will start 100ms from now, after: Error: GET \/orders/,
    /extract-2024-06-01 +AwaitingRetry +Retry 2\/3 will start 200ms from now/,
    /extract-2024-06-01 +Retrying +attempt 3/,
    /extract-2024-06-01 +Completed +in \d+(?:\.\d+)?m?s → 4 items/,
    /transform +Completed/,
    /load-daily_revenue +AwaitingRetry +Retry 1\/1 will start 100ms from now, after: TimeoutError: Task 'load' timed out after 0\.5 seconds/,
    /load attempt 1 stopped: its signal aborted \(TimeoutError\)/,
    /load-daily_revenue +Completed +in \d+(?:\.\d+)?m?s → 2\n/,
    /notify +TimedOut +after 2\d\dms: /,
    /notification skipped: Task 'notify' timed out after 0\.2 seconds/,
    /^\+\d\.\d\ds {2}etl-2024-06-01 +Completed +in \d+(?:\.\d+)?m?s → \{ day: '2024-06-01', loaded: 2 \}\n/m,
    /^Summary: etl-2024-06-01 Completed in \d+(?:\.\d+)?m?s; task runs: 3 Completed, 1 TimedOut; 3 retries\n/m,
    /Done: 2 rows loaded into daily_revenue for 2024-06-01\./,
  ],
  'retries-and-hooks.ts': [
    /retryConditionFn after attempt 1: retry/,
    /retryConditionFn after attempt 2: give up/,
    /states: Pending → Running → AwaitingRetry → Retrying → Failed/,
    /rejected with NonRetriableError: true/,
    /states: Pending → Running → Failed/,
    /reported: onCompletion hook 'brokenHook' .* failed; the run's state is unchanged: the metrics endpoint is down/,
    /result: receipt sent to ada@example\.com/,
    /charge-card-\w+: Failed after 2 attempt\(s\)/,
    /send-receipt-\w+: Completed after 2 attempt\(s\)/,
    /checkout-ada@example\.com: Completed → receipt sent to ada@example\.com/,
  ],
  'cancellation.ts': [
    // Only once the server has the request: a fetch aborted before that never reaches it.
    /^1\. unsubscribing from run\$ 100 ms after the server has the request\n/m,
    / {4}download: Cancelled\n {2}sync: Cancelled/,
    /download: fetch rejected with CancelledError, signal\.aborted = true/,
    /server: the client closed \/export\.json before the answer/,
    / {4}slow-step: Cancelled\n {2}nightly: TimedOut/,
    /body: slow-step rejected with CancelledError \(cause: TimeoutError\); calling cleanup/,
    / {4}cleanup: Pending\n {4}cleanup: Cancelled/,
    /nightly\(\) rejected with TimeoutError: Flow 'nightly' timed out after 0\.2 seconds/,
    /cleanup ran: false/,
  ],
  'typed-parameters.ts': [
    /flow run name: +report-eu-2024-06-03-Monday/,
    /parameters: +\{"region":"eu","day":"2024-06-03T\d\d:00:00\.000Z","limit":10,"dryRun":false\}/,
    /task run name: +render-eu-Mon 3 Jun/,
    /result: +top 10 products in eu on Mon Jun 03 2024/,
    /ParameterValidationError: Invalid parameters for flow 'daily-report':/,
    /- region: .*\n.*- day: expected a date such as 2024-06-03\n.*- limit: /,
    /issues: +region, day, limit/,
    /states: +Pending → Failed/,
    /body calls: +1 /,
  ],
  'observe-states.ts': [
    /Pending +created, not started/,
    /Running +attempt 1 started/,
    /AwaitingRetry +waiting until \+\d+ms/,
    /Retrying +attempt 2 started/,
    /Completed +result 49/,
    /subscribing again started a second run: Completed with 49/,
    /work-20 +Completed +3 transitions/,
    /work-40 +Completed +3 transitions/,
    /work-60 +Completed +3 transitions/,
  ],
  'docs/getting-started.ts': [
    /## first task and flow\n12\n/,
    /PENDING\/Pending → RUNNING\/Running → COMPLETED\/Completed\n42\nFailed RangeError: division by zero\n/,
    /Pending → Running → AwaitingRetry → Retrying → AwaitingRetry → Retrying → Completed/,
    /Task 'slow-query' timed out after 0\.1 seconds/,
    /## cancellation\nTimeoutError\n/,
    /square-3 completed with 9\nsquare--1 failed: RangeError: n must not be negative/,
    /\[ 'nightly', 'eu', 'db' \]/,
    /hello-ada-on-Monday: hi ada, it is Mon Jun 03 2024\nbackup-DB1 copies db1/,
    /640px webp\n\[ 'width', 'format' \]\n\{ width: 320, format: 'webp' \}\n/,
    /## methods\n3 EUR\n7 EUR\n/,
    /flow calc: Pending\nflow calc: Running\n {2}task add: Pending\n {2}task add: Running\n {2}task add: Completed\nflow calc: Completed/,
    /Pending@0s Running@0s AwaitingRetry@0s Retrying@3600s AwaitingRetry@3600s Retrying@7200s Completed@7200s/,
  ],
  'docs/readme.ts': [
    /report-ACME +Pending\n/,
    /fetch-prices-\w+ +AwaitingRetry\n/,
    /fetch-prices-\w+ +Completed\n/,
    /report-ACME +Completed\naverage: 102\n/,
  ],
  'docs/states.ts': [
    /success: +Pending 0s → Running 0s → Completed 0s\n/,
    /failure, retry: +Pending 0s → Running 0s → AwaitingRetry 0s → Retrying 10s → Completed 10s\n/,
    /zero delay: +Pending 0s → Running 0s → Retrying 0s → Completed 0s\n/,
    /timed out, retry: +Pending 0s → Running 0s → AwaitingRetry 5s → Retrying 15s → Completed 15s\n/,
    /retries exhausted: +Pending 0s → Running 0s → AwaitingRetry 0s → Retrying 1s → AwaitingRetry 1s → Retrying 6s → Failed 6s\n/,
    /timeout: +Pending 0s → Running 0s → TimedOut 30s\n/,
    /NonRetriableError: +Pending 0s → Running 0s → Failed 0s\n/,
    /unsubscribed: +Pending 0s → Running 0s → Cancelled 5s\n/,
    /bad parameters: +Pending 0s → Failed 0s\n/,
    /flow timeout: +\[parent\] Pending 0s → \[parent\] Running 0s → \[child\] Pending 0s → \[child\] Running 0s → \[child\] Cancelled 10s → \[parent\] TimedOut 10s\n/,
    /· Pending\n· Running\n· retry at 1970-01-01T00:01:00\.000Z\n· attempt 2\n■ done: \{"id":7\}\n/,
    /COMPLETED Completed 42\nfalse\ntrue false\n/,
  ],
  'docs/operators.ts': [
    /## fromAbortable\ntrue CancelledError\n/,
    /true TimeoutError: The query timed out after 0\.1 seconds/,
    /attempt 1 failed, retrying in 20 ms\nattempt 2 failed, retrying in 40 ms\nattempt 3 failed, retrying in 80 ms\nok after 4\n/,
    /## misspelt options\ntrue retryWithBackoff: invalid option 'delaySecond': unknown option \(the options are retries, delaySeconds, /,
    /Running → AwaitingRetry → Retrying → Completed/,
    /marble test passed/,
  ],
  'docs/concurrency.ts': [
    /## submit\n6\n/,
    /## map\n\[ 10, 20, 30 \]\nscale\.map: the iterables have different lengths: argument 0 has 2 items, argument 1 has 1\n\[ 100, 200, 300 \]\n/,
    /## runners\n8 pages, at most 3 at once\n\[ 1, 2, 3 \]\naudit finished\nstrict failed: bad input\n/,
    /## wait and asCompleted\n\[ 20, 40, 60 \]\n1 done, 1 still running\n/,
    /## failures\nPENDING NotReady\ntrue Upstream task run 'extract-\w+' \([\w-]+\) did not complete\n/,
    /report without data: source offline\nnotified\n/,
    /## worker threads\n\{ counts: \[ 1229, 9592, 78498 \], total: 89319 \}\n/,
    /Task 'shifted' cannot run in a worker thread: its function uses 'offset', which does not exist in the worker/,
  ],
  'fan-out.ts': [
    /^\+0\.\d\ds {2}thumbnails +Running\n/m,
    /resize ×8\+ +fan-out: progress lines from here on/,
    /resize ×5000 \[##-{18}\] 500\/5000/,
    /resize-img-3000\.jpg +Failed +after \d+(?:\.\d+)?m?s: Error: img-3000\.jpg is corrupt\n/,
    /resize ×5000\+ +more retries: counted on the progress line, not shown one by one\n/,
    /resize ×5000 \[#{20}\] 5000\/5000, 1 failed, 4 retried\n/,
    /Summary: thumbnails Completed in \d+(?:\.\d+)?m?s; task runs: 4999 Completed, 1 Failed; 4 retries\n/,
    /4999 thumbnails, 1 missing, in \d+ ms/,
  ],
  'docs/design.ts': [
    /Pending → Running → AwaitingRetry → Retrying → Completed\nRunning → AwaitingRetry → Retrying → Completed\n/,
    /amber-otter 2030-01-01\n/,
    /\[ 'region-eu', 'region-us' \]/,
  ],
  'testing.ts': [
    /property held for 50 generated cases \(failure scripts × jitter seeds\):\n/,
    / {2}\d+ syncs completed, \d+ failed after 5 attempts\n/,
    / {2}up to \d+m \d+s of virtual time per case, \d+\.\d\d s of real time\n/,
    /timeline of one run \(3 planned failures, seed 7\):\n2025-06-01T02:00:00\.000Z {2}flow sync-berlin +Pending\n/,
    /2025-06-01T02:00:00\.000Z {2}task fetch-stock-berlin +AwaitingRetry\n2025-06-01T02:0\d:\d\d\.\d{3}Z {2}task fetch-stock-berlin +Retrying\n/,
    /2025-06-01T02:\d\d:\d\d\.\d{3}Z {2}task save-stock-berlin +Completed\n2025-06-01T02:\d\d:\d\d\.\d{3}Z {2}flow sync-berlin +Completed\n/,
    /waits between API calls: \d+\.\d s, \d+\.\d s, \d+\.\d s \(60, 120, 240 s ± 10 %\)\n/,
  ],
  'docs/testing.ts': [
    /## why virtual time\n\[ '0h', '1h', '2h', '3h', '4h', '5h' \]\nCompleted after 5 virtual hours, in \d+ ms of real time\n/,
    /## property tests\nfetch-rate retries as configured: 200 cases passed\n/,
    /## timeout property\nrender times out at exactly timeoutSeconds: 100 cases passed\n/,
    /Pending 02:00:00\.000, Running 02:00:00\.000, AwaitingRetry 02:00:00\.000, Retrying 02:\d\d:\d\d\.\d{3}, AwaitingRetry 02:\d\d:\d\d\.\d{3}, Retrying 02:\d\d:\d\d\.\d{3}, Completed 02:\d\d:\d\d\.\d{3}\n/,
    /\[ 0, 7000, 14000, 21000 \] \[ 0, 60000, 120000, 180000 \]\n/,
    /boom after a virtual minute\ntrue\n/,
    /still waiting: task run 'wait-for-webhook' \(Running\)\ngave up after 1000 virtual minutes\n/,
    /## sleep\nPending@0s Running@0s TimedOut@30s\ntrue true\n/,
    /\{ id: 7 \}\n3 \[ 0, 1000, 11000 \] \[ 1000, 10000 \]\n\[ 'Error: ECONNRESET', '503 Service Unavailable', 'ok' \]\nRangeError: attempt 1\n/,
    /\n {3}0s flow etl Pending\n(?:.*\n){8} 302s task load Completed\n 302s flow etl Completed\n\[ 0, 300000 \]\n/,
    /\[ 10000, 20000, 40000 \]\n\[ 1000, 5000, 5000 \]\n\[ \{ min: 5000, max: 15000 \} \]\n/,
    /## lower level\n\[ 1000, 2000, 3000 \]\ntrue true\n/,
  ],
  'limits.ts': [
    /retrying after: GET \/pages\/13: 503\n/,
    /progress: 60\/60 pages\n/,
    /fetched 60 pages \(18300 bytes\), at most 4 requests at once\n/,
    /rate held: 62 requests took at least 0\.55 s\n/,
    /slots left held: 0, waiting: 0\n/,
  ],
  'docs/limits.ts': [
    /## concurrency\n5 queries, at most 2 at once\n/,
    /active: 0,\n\s+waiting: 0\n/,
    /true Waiting for concurrency limit 'gpu' timed out after 0\.05 seconds\nTimeoutError\nConcurrency limit 'gpu': cannot occupy 2 slots, the limit is 1\ntrue\n/,
    /## several limits\n\[ 'orders', 'users', 'events' \] 0 0\n/,
    /## rateLimit\n\[ 0, 0, 50, 100, 150 \]\n/,
    /'a\.txt: 5 bytes',\n\s+'bb\.txt: 6 bytes',\n\s+'ccc\.txt: 7 bytes',\n\s+'dddd\.txt: 8 bytes'/,
    /marble test passed/,
    /## tag limits\nat most 2 at once; waited for a slot: events, prices\n/,
  ],
  'docs/reporting.ts': [
    /## OpenTelemetry\n62\.49\n/,
    /report Completed \[Pending → Running → Completed\]\n {2}fetch-orders Completed \[Pending → Running → AwaitingRetry → Retrying → Completed\]\n {4}GET \/orders\n {4}GET \/orders\n {2}total Completed/,
    /30 true Task 'slow-query' exceeded its timeout of 30s\n/,
    /## console reporter\n\+0\.00s {2}album-holidays +Pending\n/,
    /thumbnail ×8\+ +fan-out: progress lines from here on, failures and the first 3 retries still shown\n/,
    /thumbnail ×40 \[##########-{10}\] 20\/40\n/,
    /thumbnail-\w+ +Failed +after 600ms: Error: image 13 is corrupt\n/,
    /thumbnail ×40 \[#{20}\] 40\/40, 1 failed, 1 retried\n/,
    /publish +Completed +in 0ms → '39 thumbnails in holidays'\n/,
    /Summary: album-holidays Completed in 600ms; task runs: 40 Completed, 1 Failed; 1 retry\n/,
  ],
  'docs/caching.ts': [
    /## a cache hit\nPending → Running → Completed\nPending → Cached\n\{ id: 42, name: 'user 42' \} calls: 1\n/,
    /## policies\n\[ 'lookup A-1', 'render home verbose=false', 'lookup A-1' \]\n/,
    /## expiry and refresh\n1970-01-01T00:10:00\.000Z\nACME quote #1\nACME quote #2\nACME quote #3\nACME quote #3\n/,
    /## concurrent runs\nPending → Running → Completed; Pending → Cached; Pending → Cached calls: 1\n/,
    /## cache keys\nby-day\/2024-06-03\ntrue\nreported: task 'notify' \(run 'notify-\w+'\): Cannot compute the cache key of task 'notify': parameter 'onDone' holds a function .* The run goes on without the cache\.\nsent\n/,
    /## storage on disk\n3 \[ '1-2\.json' \]\nPending → Cached calls: 1\n/,
    /## references and serializers\ntrue\n1000\nHI Pending → Cached\ntrue Pending → Running → Completed\n/,
    /## the cacheResult operator\n\{ fetched: 1 \} \{ fetched: 1 \}\n/,
  ],
  'docs/observability.ts': [
    /## logging\n09:00:00\.000 INFO {2}\[etl-2025-06-01\] ETL for 2025-06-01\n09:00:00\.000 INFO {2}\[load-sales\] loading table=sales\n09:00:01\.500 INFO {2}\[load-sales\] loaded table=sales rows=3\n/,
    /## levels\n\[ 'debug: checking', 'info: all good' \]\n/,
    /## logPrints\n[\d:.]{12} INFO {2}\[wrapped\] inside the flow\nplain code, untouched\n[\d:.]{12} INFO {2}\[legacy-\w{3}\] legacy code says 42\n/,
    /## pino\n\{"level":30,"order":7,"runId":"[\w-]{36}","runName":"ship-order","taskRunId":"[\w-]{36}","msg":"shipped"\}\n/,
    /## runtime\n2025-06-01: out\/nightly-2025-06-01\/attempt-2\.json\nundefined undefined\n/,
    /## events\n\[\n {2}'acme\.table\.refreshed sales',\n {2}'rxflow\.task-run\.Failed refresh-legacy'\n\]\n/,
    /'progress:report-progress=0',\n {2}'table:totals=\{"region":\["eu","us"\],"total":\[3,5\]\}',\n {2}'progress:report-progress=50',/,
    /progress:100, table:\{"region":\["eu","us"\],"total":\[3,5\]\}, markdown:"# Sales\\n\\nTotal: \*\*8\*\*"\n/,
    /createTableArtifact: invalid artifact:\n {2}- table\.total: expected 2 values, as column 'region' has \(got \[3\]\)\n/,
    /## client\netl-eu Error: eu is down\nPending → Running → Failed\netl-eu \{ region: 'eu' \} Completed\n/,
    /## cancel\nCancelled \/ CancelledError\n/,
    /## store\n2 persisted Completed\n/,
  ],
  'docs/browser-context.ts': [
    /\[ 'child', 'parent', 'standalone' \]/,
    /\[ 'job-1 \/ standalone', 'job-2 \/ standalone' \]/,
    /\[ 'report-1 <- none', 'report-2 <- none' \]/,
  ],
};

function listTs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listTs(path);
    return entry.isFile() && entry.name.endsWith('.ts') ? [path] : [];
  });
}

// Shared helpers of the examples, not examples themselves.
const HELPERS = new Set(['docs/sections.ts', 'docs/primes.ts']);

const files = listTs(examplesDir)
  .map((path) => relative(examplesDir, path).split('\\').join('/'))
  .filter((file) => !HELPERS.has(file))
  .sort();

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

const runs = new Map<string, Promise<Outcome>>();

/** Runs one example with tsx as a Node loader, from the repository root (once per file). */
function runExample(file: string): Promise<Outcome> {
  let run = runs.get(file);
  if (run === undefined) {
    run = startExample(file);
    runs.set(file, run);
  }
  return run;
}

function startExample(file: string): Promise<Outcome> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join('examples', file)],
      // TZ pins date-fns output; NODE_OPTIONS from jest must not leak into the child.
      { cwd: root, timeout: 60_000, env: { ...process.env, TZ: 'UTC', NODE_OPTIONS: '', FORCE_COLOR: '0' } },
      (error, stdout, stderr) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

describe('examples', () => {
  // Each example is a separate Node process: start them two at a time ahead of the tests (the
  // suite's own worker waits on them, so the second core does the work), in file order.
  beforeAll(() => {
    const queue = [...files];
    const next = (): void => {
      const file = queue.shift();
      if (file !== undefined) void runExample(file).then(next);
    };
    for (let i = 0; i < Math.max(2, availableParallelism()); i++) next();
  });

  it('should cover every example file with expectations', () => {
    expect(files).toEqual(Object.keys(expectations).sort());
  });

  it.each(files)(
    'should run %s to completion',
    async (file) => {
      const { code, stdout, stderr } = await runExample(file);
      if (code !== 0 || stderr !== '')
        console.log(`examples/${file}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      let rest = stdout;
      for (const pattern of expectations[file] ?? []) {
        const found = pattern.exec(rest);
        expect({ pattern: String(pattern), found: found !== null }).toEqual({
          pattern: String(pattern),
          found: true,
        });
        rest = rest.slice(found!.index + found![0].length);
      }
    },
    90_000,
  );
});

const guides = [
  'README.md',
  ...readdirSync(docsDir)
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

const regionsByFile = new Map<string, Map<string, string>>();
function regionsOf(file: string): Map<string, string> {
  let regions = regionsByFile.get(file);
  if (regions === undefined) {
    regions = extractRegions(file, readFileSync(join(root, file), 'utf8'));
    regionsByFile.set(file, regions);
  }
  return regions;
}

describe('docs', () => {
  // See doc-blocks.ts for the markers that tie a guide's blocks to the example files.
  it.each(guides)('should show every TypeScript block of %s exactly as its region in examples/', (guide) => {
    const blocks = guideBlocks(readFileSync(join(root, guide), 'utf8')).filter((b) => b.lang === 'ts');
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      const where = `${guide}:${block.line}`;
      expect({ where, file: block.file, region: block.region }).toEqual({
        where,
        file: expect.stringMatching(/^examples\//) as unknown,
        region: expect.any(String) as unknown,
      });
      const region = regionsOf(block.file!).get(block.region!);
      expect({ where, region: block.region, text: block.text }).toEqual({
        where,
        region: block.region,
        text: region ?? `(no region '${block.region}' in ${block.file})`,
      });
    }
  });

  it('should quote every region of examples/docs in a guide', () => {
    const quoted = new Set<string>();
    for (const guide of guides) {
      for (const block of guideBlocks(readFileSync(join(root, guide), 'utf8')))
        if (block.lang === 'ts') quoted.add(`${block.file}#${block.region}`);
    }
    const unquoted = listTs(join(examplesDir, 'docs'))
      .map((path) => relative(root, path).split('\\').join('/'))
      .flatMap((file) => [...regionsOf(file).keys()].map((name) => `${file}#${name}`))
      .filter((id) => !quoted.has(id));
    expect(unquoted).toEqual([]);
  });

  it("should list every example of examples/ in README's table", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const listed = [...readme.matchAll(/^\| \[`examples\/([\w-]+\.ts)`\]/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(files.filter((file) => !file.includes('/')).sort());
  });

  const outputs = guides.flatMap((guide) =>
    guideBlocks(readFileSync(join(root, guide), 'utf8'))
      .filter((block) => block.output !== undefined)
      .map((block) => ({ where: `${guide}:${block.line}`, block })),
  );

  it('should tie the output shown in README.md to its program', () => {
    expect(outputs.filter(({ where }) => where.startsWith('README.md:'))).toHaveLength(1);
  });

  it.each(outputs)(
    'should show at $where what the program prints',
    async ({ block }) => {
      const file = relative(examplesDir, join(root, block.file!)).split('\\').join('/');
      const { stdout } = await runExample(file);
      if (!matchesOutput(block.text, stdout, block.output!))
        console.log(`${block.file} printed:\n${stdout}\n--- the guide shows:\n${block.text}`);
      expect(matchesOutput(block.text, stdout, block.output!)).toBe(true);
    },
    90_000,
  );
});
