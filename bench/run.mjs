// Runs the benchmark suite: every scenario × variant in its own `node --expose-gc` process, one
// after another, then prints a table per scenario and writes the results file. See bench/README.md.
import { execSync, fork } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { URL, fileURLToPath } from 'node:url';
import { USAGE, parseCommandLine } from './lib/args.mjs';
import { checkGoals, fmtUs, goalRow, renderScenario, resultRow, withRatios } from './lib/report.mjs';
import { jobsOf, loadScenarios, titleOf, variantSpec } from './lib/scenarios.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUILT_ENTRY = fileURLToPath(new URL('../dist/esm/index.node.js', import.meta.url));
const CHILD = fileURLToPath(new URL('./lib/child.mjs', import.meta.url));
const DEFAULT_OUT = { full: join(ROOT, 'bench/results.json'), quick: join(ROOT, 'bench/results.quick.json') };
// A child that has not reported by then is killed and its row marked failed.
const CHILD_TIME_LIMIT_S = { full: 1200, quick: 120 };

const log = (...args) => console.error(...args);
const PASSES = { both: 'no forced GC, then forced GC', gc: 'forced GC only', 'no-gc': 'no forced GC only' };

function ensureBuild(force) {
  if (!force && existsSync(BUILT_ENTRY)) return;
  log(force ? 'building (--build) …' : 'dist/ is missing: building …');
  execSync('npm run build', { cwd: ROOT, stdio: 'inherit' });
}

/** The scenarios and variants chosen on the command line, as a list of jobs. */
function selectJobs(scenarios, { ids, variants, mode, reps }) {
  const unknown = ids.filter((id) => !scenarios.some((s) => s.id === id));
  if (unknown.length > 0) {
    throw new Error(
      `unknown scenario ${unknown.join(', ')}; known: ${scenarios.map((s) => s.id).join(', ')}`,
    );
  }
  const chosen = scenarios.filter((s) => ids.length === 0 || ids.includes(s.id));
  const missing = variants.filter((v) => !chosen.some((s) => v in s.variants));
  if (missing.length > 0) throw new Error(`no chosen scenario has variant ${missing.join(', ')}`);
  const jobs = chosen.flatMap((scenario) => {
    const declared = Object.keys(scenario.variants);
    if (variants.length === 0) return jobsOf(scenario, declared, mode, reps);
    // raw stays in as the unit of the ×raw column.
    const picked = declared.filter((v) => variants.includes(v) || v === 'raw');
    return picked.some((v) => variants.includes(v)) ? jobsOf(scenario, picked, mode, reps) : [];
  });
  return jobs;
}

/** Runs one job in a fresh `node --expose-gc` process; resolves to its row (with `error` if it failed). */
function runJob({ scenario, variant, n, reps, note }, { mode, passes }) {
  const row = { id: scenario.id, variant, n, ...(note ? { note } : {}) };
  if (scenario.kind === 'measure') {
    return variantSpec(scenario, variant)
      .setup(n)
      .then(
        (figures) => ({ ...row, figures }),
        (error) => ({ ...row, error: error instanceof Error ? error.message : String(error) }),
      );
  }
  return new Promise((resolve) => {
    const child = fork(CHILD, [scenario.file, variant, String(n), String(reps), passes], {
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let reply;
    const limit = CHILD_TIME_LIMIT_S[mode];
    const timer = setTimeout(() => {
      reply ??= { ok: false, error: `no result after ${limit} s: killed` };
      child.kill('SIGKILL');
    }, limit * 1000);
    child.on('message', (message) => {
      reply ??= message;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reply ??= { ok: false, error: `the child process exited (${signal ?? code}) without a result` };
      resolve(reply.ok ? { ...row, ...reply.result } : { ...row, error: reply.error });
    });
  });
}

/**
 * Writes the results file. A run of only some scenarios or variants merges into the existing
 * file, replacing the rows of the same scenario and variant (and recomputing every ratio and
 * goal, since raw or another scenario's rows may be among them); a run of everything replaces it.
 */
function writeResults(file, rows, merge, scenarios) {
  const order = new Map(scenarios.flatMap((s) => Object.keys(s.variants).map((v, i) => [`${s.id}/${v}`, i])));
  let kept = [];
  if (merge && existsSync(file)) {
    try {
      const replaced = new Set(rows.map((r) => `${r.id}/${r.variant}`));
      kept = JSON.parse(readFileSync(file, 'utf8')).scenarios.filter(
        (r) => !replaced.has(`${r.id}/${r.variant}`),
      );
    } catch {
      kept = [];
    }
  }
  const all = [...kept, ...rows.filter((r) => !r.error)];
  const ids = [...new Set(all.map((r) => r.id))].sort();
  const rank = (r) => order.get(`${r.id}/${r.variant}`) ?? order.size;
  const measured = ids.flatMap((id) =>
    withRatios(all.filter((r) => r.id === id)).sort((a, b) => rank(a) - rank(b) || a.n - b.n),
  );
  const others = (id) => measured.filter((r) => r.id === id);
  const goals = scenarios
    .filter((s) => ids.includes(s.id))
    .flatMap((s) => checkGoals(s, others(s.id), others).map((g) => goalRow(s.id, g)));
  const results = {
    node: process.version,
    cpus: cpus().length,
    date: new Date().toISOString(),
    scenarios: measured.map(resultRow),
    goals,
  };
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
}

function listScenarios(scenarios) {
  for (const s of scenarios) {
    log(`${s.id}  ${titleOf(s, 'full')}`);
    const n = s.n ? `n = ${s.n.full} (quick ${s.n.quick}); ` : '';
    log(`    ${n}variants: ${Object.keys(s.variants).join(', ')}`);
    for (const [name, v] of Object.entries(s.variants)) {
      if (v.n) log(`    ${name}: n = ${v.n.full} (quick ${v.n.quick})`);
    }
  }
}

function gitDescription() {
  try {
    const head = execSync('git rev-parse --short HEAD', { cwd: ROOT, stdio: 'pipe' }).toString().trim();
    const dirty = execSync('git status --porcelain -- lib', { cwd: ROOT, stdio: 'pipe' }).toString().trim();
    return dirty ? `${head} + uncommitted changes in lib/` : head;
  } catch {
    return 'unknown';
  }
}

async function main() {
  const options = parseCommandLine(process.argv.slice(2));
  if (options.help) return log(USAGE);
  const scenarios = await loadScenarios();
  if (options.list) return listScenarios(scenarios);
  const jobs = selectJobs(scenarios, options);

  ensureBuild(options.build);
  const entry = relative(ROOT, fileURLToPath(import.meta.resolve('rxflow')));
  log(
    `node ${process.version}, ${cpus().length} cpus, ${options.mode} mode, passes: ${PASSES[options.passes]}, rxflow → ${entry} (commit ${gitDescription()})`,
  );

  const load = loadavg()[0];
  if (load > cpus().length / 2) {
    log(
      `warning: load average ${load.toFixed(1)} on ${cpus().length} cpus: other processes are competing, timings will be inflated`,
    );
  }

  const started = Date.now();
  const rows = [];
  for (const [i, job] of jobs.entries()) {
    const t0 = Date.now();
    const row = await runJob(job, options);
    rows.push(row);
    const took = ((Date.now() - t0) / 1000).toFixed(1);
    const figures = (suffix) =>
      `${fmtUs(row[`medianUs${suffix}`])} µs/op (${fmtUs(row[`minUs${suffix}`])}–${fmtUs(row[`maxUs${suffix}`])})`;
    const what = row.error
      ? 'FAILED'
      : row.figures
        ? 'measured'
        : [
            row.medianUsNoGc === undefined ? '' : `no forced GC ${figures('NoGc')}`,
            row.medianUs === undefined ? '' : `forced GC ${figures('')}`,
          ]
            .filter(Boolean)
            .join(', ');
    log(
      `[${i + 1}/${jobs.length}] ${job.scenario.id} ${job.variant} n=${job.n} ×${job.reps}: ${what}, ${took} s`,
    );
  }

  const out = options.out ?? DEFAULT_OUT[options.mode];
  // A goal relative to another scenario uses that scenario's rows from this run, or else from
  // the results file this run writes to (an earlier run on this machine).
  const previous = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')).scenarios : [];
  const others = (id) => {
    const fresh = rows.filter((r) => r.id === id);
    return fresh.length > 0 ? fresh : previous.filter((r) => r.id === id);
  };
  const sections = [];
  const finished = [];
  for (const scenario of scenarios) {
    const own = withRatios(rows.filter((r) => r.id === scenario.id));
    if (own.length === 0) continue;
    sections.push(renderScenario(scenario, titleOf(scenario, options.mode), own, others));
    finished.push(...own);
  }
  console.log(`\n${sections.join('\n\n')}\n`);

  writeResults(out, finished, options.ids.length > 0 || options.variants.length > 0, scenarios);
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  const [load1, load5] = loadavg().map((l) => l.toFixed(1));
  log(
    `wrote ${relative(process.cwd(), out)}; ${jobs.length} processes in ${seconds} s; load average now ${load1} (5 min ${load5})`,
  );
  if (rows.some((r) => r.error)) process.exitCode = 1;
}

main().catch((error) => {
  log(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
