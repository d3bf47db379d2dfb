// Times one variant of one scenario inside its own process: a warm-up pass, then `reps` timed
// passes without any forced GC, then `reps` timed passes each after a forced GC (either set can be
// left out), with every pass's checksum verified.
import { setImmediate as nextTick } from 'node:timers/promises';

const MB = 1024 * 1024;
const noop = () => {};

/** Heap in use after a full GC, in MB; a second GC after a tick collects what finalizers freed. */
export async function heapAfterGc() {
  globalThis.gc();
  await nextTick();
  globalThis.gc();
  return process.memoryUsage().heapUsed / MB;
}

function verify(checksum, expected, pass) {
  if (checksum !== expected)
    throw new Error(`checksum mismatch in ${pass}: got ${checksum}, expected ${expected}`);
}

const median = (sorted) => {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** `reps` timed passes of `run(n)`, each after a forced full GC when `forceGc`: per-op figures. */
async function timedPasses({ run, n, reps, expected, forceGc }) {
  const usPerOp = [];
  const cpuUsPerOp = [];
  for (let rep = 1; rep <= reps; rep++) {
    if (forceGc) globalThis.gc();
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const checksum = await run(n, noop);
    const elapsedNs = process.hrtime.bigint() - t0;
    const cpu = process.cpuUsage(cpu0);
    verify(checksum, expected, `${forceGc ? '' : 'no-GC '}rep ${rep}`);
    usPerOp.push(Number(elapsedNs) / 1e3 / n);
    cpuUsPerOp.push((cpu.user + cpu.system) / n);
  }
  const sorted = [...usPerOp].sort((a, b) => a - b);
  return {
    usPerOp,
    medianUs: median(sorted),
    minUs: sorted[0],
    maxUs: sorted[sorted.length - 1],
    // CPU time of the whole process (GC helper threads included): unlike wall time, it hardly
    // grows when other processes compete for the cores.
    cpuMedianUs: median([...cpuUsPerOp].sort((a, b) => a - b)),
  };
}

/** The passes' figures under the names of results.json: `medianUs` … or `medianUsNoGc` …. */
const named = (figures, suffix) =>
  Object.fromEntries(Object.entries(figures).map(([key, value]) => [key + suffix, value]));

/**
 * @param {object} o
 * @param {(n: number, probe: (done: number) => void) => Promise<unknown>} o.run does n operations and
 *   returns a checksum; it may call `probe(done)` at checkpoints, which samples memory during warm-up.
 * @param {number} o.n operations per pass
 * @param {number} o.reps timed passes of each kind
 * @param {unknown} o.expected the checksum every pass must return
 * @param {'both' | 'gc' | 'no-gc'} [o.passes] which timed passes to run: `no-gc` (no forced GC,
 *   right after the warm-up, so no forced GC has run since the code under test first ran), `gc`
 *   (a forced full GC before each), or both, in that order
 */
export async function measure({ run, n, reps, expected, passes = 'both' }) {
  if (typeof globalThis.gc !== 'function') throw new Error('measure() needs node --expose-gc');
  const heapStartMB = await heapAfterGc();

  // The warm-up pass is the first n operations of a fresh process, where memory grows: the
  // checkpoint samples are taken there, not in timed passes. RSS only, and no GC: a forced full
  // GC leaves RSS tens of MB higher for a while, which would hide what a user's process looks like.
  const samples = [];
  const probe = (done) => samples.push({ done, rssMB: process.memoryUsage.rss() / MB });
  verify(await run(n, probe), expected, 'warm-up');

  // The passes without a forced GC come first: in them, the only GCs are the ones V8 chooses, as
  // in a user's process, and no forced full GC has yet thrown away the shapes and optimised code
  // of objects that were dead at that moment (what lib/'s keepShape guards against).
  const noGc =
    passes === 'gc' ? {} : named(await timedPasses({ run, n, reps, expected, forceGc: false }), 'NoGc');
  const gc = passes === 'no-gc' ? {} : await timedPasses({ run, n, reps, expected, forceGc: true });

  const heapEndMB = await heapAfterGc();
  return {
    n,
    reps,
    ...gc,
    ...noGc,
    heapStartMB,
    heapEndMB,
    heapGrowthMB: heapEndMB - heapStartMB,
    // maxRSS is the OS high-water mark in KiB: it includes library load and the warm-up.
    peakRssMB: (process.resourceUsage().maxRSS * 1024) / MB,
    samples,
  };
}
