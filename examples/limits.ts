/**
 * Crawling an API politely: 60 pages fetched through the `concurrencyLimit` operator sharing
 * the global limit 'http' (at most 4 requests at once) with a `concurrency()` call elsewhere,
 * every request first waiting for the rate limit 'api-rate' (100 requests/s, bursts of 5), and
 * a flaky page whose failure gives its slot back.
 *
 * Run it with `npx tsx examples/limits.ts`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { from, lastValueFrom, reduce } from 'rxjs';
import { concurrency, createConcurrencyLimit, getConcurrencyLimit, rateLimit } from '../lib/index.node.js';
import { concurrencyLimit } from '../lib/operators/index.js';

createConcurrencyLimit('http', { limit: 4 });
createConcurrencyLimit('api-rate', { limit: 5, slotDecayPerSecond: 100 });

let inFlight = 0;
let peak = 0;

/** A pretend HTTP GET: 5–15 ms, and page 13 fails the first time. */
const failedOnce = new Set<number>();
async function get(page: number): Promise<number> {
  await rateLimit('api-rate');
  peak = Math.max(peak, ++inFlight);
  try {
    await sleep(5 + (page % 3) * 5);
    if (page === 13 && !failedOnce.has(page)) {
      failedOnce.add(page);
      throw new Error(`GET /pages/${page}: 503`);
    }
    return page * 10; // bytes
  } finally {
    inFlight--;
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  // The health check shares the 'http' slots with the crawl below.
  const health = concurrency('http', () => get(0));

  let done = 0;
  const pages = Array.from({ length: 60 }, (_, i) => i + 1);
  const bytes = await lastValueFrom(
    from(pages).pipe(
      concurrencyLimit(
        (page: number) =>
          get(page).catch((error: Error) => {
            console.log(`retrying after: ${error.message}`);
            return get(page);
          }),
        'http',
      ),
      reduce((total, size) => {
        done++;
        if (done % 20 === 0) console.log(`progress: ${done}/${pages.length} pages`);
        return total + size;
      }, 0),
    ),
  );
  await health;
  const seconds = (performance.now() - started) / 1000;
  console.log(`fetched ${pages.length} pages (${bytes} bytes), at most ${peak} requests at once`);
  console.log(
    `rate held: ${pages.length + 2} requests took ${seconds >= 0.55 ? 'at least' : 'LESS than'} 0.55 s`,
  );
  console.log(
    `slots left held: ${getConcurrencyLimit('http')?.active}, waiting: ${getConcurrencyLimit('http')?.waiting}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
