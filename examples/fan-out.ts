/**
 * Fan-out: resize 5,000 images with `task.map` in one flow, 50 at a time, shown live by
 * `consoleReporter`: in a terminal, one progress bar for the whole fan-out
 * (`resize ×5000 [#####---------------] 1250/5000`); in a log, a progress line per tenth. A few
 * images fail their first attempt and are retried; one is corrupt and fails for good, so its
 * thumbnail is missing, and both the report and the summary say so.
 *
 * Run it with `npx tsx examples/fan-out.ts`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ConcurrentTaskRunner, flow, isCompleted, task } from '../lib/index.node.js';
import { consoleReporter } from '../lib/node/index.js';

const IMAGES = Array.from({ length: 5000 }, (_, i) => `img-${String(i).padStart(4, '0')}.jpg`);
const flaky = new Set(['img-0042.jpg', 'img-1234.jpg', 'img-4321.jpg']);

const resize = task(
  { name: 'resize', taskRunName: 'resize-{file}', retries: 1, retryDelaySeconds: 0.01 },
  async (file: string) => {
    await sleep(1); // the I/O of a real resize
    if (file === 'img-3000.jpg') throw new Error(`${file} is corrupt`);
    if (flaky.delete(file)) throw new Error(`${file}: connection reset`);
    return `thumbs/${file}`;
  },
);

const thumbnails = flow(
  {
    name: 'thumbnails',
    flowRunName: 'thumbnails',
    taskRunner: new ConcurrentTaskRunner({ maxConcurrency: 50 }),
  },
  async (files: string[]) => {
    const states = await resize.map(files).wait(); // never rejects: count what worked
    return states.filter(isCompleted).map((s) => s.data);
  },
);

async function main(): Promise<void> {
  // The 5,000 runs share a parent and a task: the reporter shows them as one fan-out.
  const reporter = consoleReporter({ results: false });
  const started = Date.now();
  try {
    const done = await thumbnails(IMAGES);
    console.log(
      `${done.length} thumbnails, ${IMAGES.length - done.length} missing, in ${Date.now() - started} ms`,
    );
  } finally {
    reporter.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
