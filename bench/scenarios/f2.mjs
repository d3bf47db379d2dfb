// F2: the start: `node -e "import('rxflow')"` against `node -e "import('rxjs')"`, wall time of
// fresh processes, the two alternated (and zod, p-retry for reference) so that both see the same
// machine load.
import { spawnSync } from 'node:child_process';
import { URL, fileURLToPath } from 'node:url';

const BENCH = fileURLToPath(new URL('..', import.meta.url));
const MODULES = ['rxflow', 'rxjs', 'zod', 'p-retry'];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Wall time of one fresh `node -e "import('<name>')"` (from bench/, where 'rxflow' is the package itself). */
function startOnce(name) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-e', `import(${JSON.stringify(name)})`], {
    cwd: BENCH,
    stdio: 'pipe',
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`import('${name}') failed: ${r.stderr.toString().trim()}`);
  return ms;
}

async function measure(processes) {
  const times = Object.fromEntries(MODULES.map((m) => [m, []]));
  for (let i = 0; i < processes; i++) for (const m of MODULES) times[m].push(startOnce(m));
  const medianMs = Object.fromEntries(MODULES.map((m) => [m, Math.round(median(times[m]) * 10) / 10]));
  return { processes, medianMs, rxflowOverRxjsMs: Math.round((medianMs.rxflow - medianMs.rxjs) * 10) / 10 };
}

export default {
  id: 'F2',
  kind: 'measure',
  title: (n) =>
    `the start: node -e "import('rxflow')" vs import('rxjs'), medians of ${n} fresh processes each, alternated`,
  n: { full: 10, quick: 5 },
  variants: { rxflow: measure },
  render: (rows) =>
    rows.map((r) =>
      r.error
        ? `${r.variant}: ERROR ${r.error}`
        : Object.entries(r.figures.medianMs)
            .map(([m, ms]) => `import('${m}') ${ms} ms`)
            .join(', ') + `; rxflow − rxjs = ${r.figures.rxflowOverRxjsMs} ms`,
    ),
  goals: [
    {
      text: "import('rxflow') ≤ import('rxjs') + 30 ms",
      value: (v) => v.rxflow.figures.rxflowOverRxjsMs,
      unit: 'ms',
      max: 30,
    },
  ],
};
