/**
 * Fan-out: resize 5,000 images with `task.map` in one flow, 50 at a time, with a live progress
 * line fed by `runStates$`. A few images fail their first attempt and are retried; one is corrupt
 * and fails for good, so its thumbnail is missing and the summary says so.
 *
 * Run it with `npx tsx examples/fan-out.ts`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ConcurrentTaskRunner, flow, isCompleted, isFinal, runStates$, task } from '../lib/index.node.js';

const IMAGES = Array.from({ length: 5000 }, (_, i) => `img-${String(i).padStart(4, '0')}.jpg`);
const flaky = new Set(['img-0042.jpg', 'img-1234.jpg', 'img-4321.jpg']);

const resize = task({ name: 'resize', retries: 1, retryDelaySeconds: 0.01 }, async (file: string) => {
  await sleep(1); // the I/O of a real resize
  if (file === 'img-3000.jpg') throw new Error(`${file} is corrupt`);
  if (flaky.delete(file)) throw new Error(`${file}: connection reset`);
  return `thumbs/${file}`;
});

const thumbnails = flow(
  { name: 'thumbnails', taskRunner: new ConcurrentTaskRunner({ maxConcurrency: 50 }) },
  async (files: string[]) => {
    const states = await resize.map(files).wait(); // never rejects: count what worked
    return states.filter(isCompleted).map((s) => s.data);
  },
);

// The live progress line: one counter, updated from every task run's final state.
let ended = 0;
let failed = 0;
let shown = -1;
const live = process.stdout.isTTY;
const progress = runStates$.subscribe(({ run, state }) => {
  if (run.kind !== 'task' || !isFinal(state)) return;
  ended++;
  if (!isCompleted(state)) failed++;
  const percent = Math.floor((ended / IMAGES.length) * 100);
  if (live) process.stdout.write(`\rresized ${ended}/${IMAGES.length} (${percent} %), ${failed} failed`);
  else if (percent % 25 === 0 && percent !== shown) {
    shown = percent;
    console.log(`resized ${ended}/${IMAGES.length} (${percent} %), ${failed} failed`);
  }
});

async function main(): Promise<void> {
  const started = Date.now();
  const done = await thumbnails(IMAGES);
  progress.unsubscribe();
  if (live) process.stdout.write('\n');
  console.log(
    `${done.length} thumbnails, ${IMAGES.length - done.length} missing, in ${Date.now() - started} ms`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
