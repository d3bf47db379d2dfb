#!/usr/bin/env node
// Plants realistic bugs in lib/ one at a time and checks that the specs named for each catch it.
//
//   node scripts/mutants.mjs              every planted bug in turn
//   node scripts/mutants.mjs <id> [<id>]  only these
//   node scripts/mutants.mjs --list       the table, nothing run
//   node scripts/mutants.mjs --markdown   the table as docs/testing.md shows it
//   node scripts/mutants.mjs --baseline   run each bug's test on the unchanged code (must pass)
//   --whole-spec                          run the named spec files entirely, not only the named test
//   --force                               run although lib/ has uncommitted changes
//
// Each bug is an exact text replacement in one lib/ file (the search text must occur exactly once,
// else the script stops: lib/ changed and the table needs updating). The file is restored to its
// exact original bytes in a `finally`, also on Ctrl-C. A bug is caught when at least one named
// test fails (a test that times out counts); it survives when they all pass.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The planted bugs. `edits`: replacements in `file`, each search text found exactly once. `specs`:
 * the spec files expected to catch it; `test`: the name (or part of it) of the test that does.
 */
export const MUTANTS = [
  // Issue 14, "Survived"
  {
    id: 'key-memo-extra-properties',
    what: "the key memo's equality ignores extra properties of the looked-up object",
    file: 'lib/cache/key-memo.ts',
    edits: [['  return count === keys.length;\n}', '  return count >= keys.length;\n}']],
    specs: ['spec/cache/key-memo.spec.ts'],
    test: 'should not match a recorded object to one with an extra or a missing property',
  },
  {
    id: 'subflow-drops-tags-scope',
    what: 'a subflow does not inherit the enclosing tags() scopes (only its own tags)',
    file: 'lib/internal/engine/run-driver.ts',
    edits: [
      [
        'const tags = def.tags.length === 0 ? frame.tags : mergeTags(frame.tags, def.tags);',
        "const tags = def.kind === 'flow' && parent !== undefined ? def.tags : def.tags.length === 0 ? frame.tags : mergeTags(frame.tags, def.tags);",
      ],
    ],
    specs: ['spec/context/tags.spec.ts'],
    test: 'should give subflows the enclosing tags() scopes',
  },
  {
    id: 'lfs-writes-in-place',
    what: 'LocalFileSystem writes the file in place instead of a temp file renamed over it',
    file: 'lib/node/local-file-system.ts',
    edits: [
      ["const file = await open(temp, 'wx');", "const file = await open(path, 'w');"],
      ['      await rename(temp, path);\n', ''],
    ],
    specs: ['spec/node/local-file-system-hardening.spec.ts'],
    test: 'should write a new file and rename it over the record',
  },
  {
    id: 'lfs-leaves-temp-file',
    what: 'LocalFileSystem leaves its temp file behind when a write fails',
    file: 'lib/node/local-file-system.ts',
    edits: [['      await rm(temp, { force: true }).catch(() => undefined);\n', '']],
    specs: ['spec/node/local-file-system-hardening.spec.ts'],
    test: 'should leave no temporary file behind when a write fails',
  },
  // Issue 14, "Caught by one test only"
  {
    id: 'flow-body-drops-tags',
    what: 'a flow body runs outside the enclosing tags() scopes',
    file: 'lib/internal/engine/run-driver.ts',
    edits: [
      [
        '    const child: Frame = { run: scope, clock: frame.clock, tags: frame.tags, virtual: frame.virtual };\n    // In the browser',
        '    const child: Frame = { run: scope, clock: frame.clock, tags: [], virtual: frame.virtual };\n    // In the browser',
      ],
    ],
    specs: ['spec/context/tags.spec.ts'],
    test: 'should pass the enclosing tags to every run a flow body starts',
  },
  {
    id: 'allow-failure-passes-undefined',
    what: 'allowFailure passes undefined to the downstream run instead of the upstream error',
    file: 'lib/futures/submitted-run.ts',
    edits: [
      [
        "  if (state.type === 'COMPLETED') return state.data;\n  return 'error' in state ? state.error : undefined;",
        "  if (state.type === 'COMPLETED') return state.data;\n  return undefined;",
      ],
    ],
    specs: ['spec/futures/submit.spec.ts'],
    test: 'should pass the upstream error through allowFailure in nested arguments and in map',
  },
  {
    id: 'jitter-ignores-seeded-random',
    what: "the engine's retry jitter draws from Math.random, not the clock's (seeded) random source",
    file: 'lib/internal/attempt-loop.ts',
    edits: [
      [
        'applyJitter(delayForRetry(delaySeconds, failed) * 1000, jitterFactor, random)',
        'applyJitter(delayForRetry(delaySeconds, failed) * 1000, jitterFactor, Math.random)',
      ],
    ],
    specs: ['spec/policies/jitter.spec.ts'],
    test: 'should draw from the clock random source, for tasks and flows alike',
  },
  {
    id: 'limiter-queue-jump',
    what: 'Limiter.tryAcquire takes free slots although callers are queued (jumps the FIFO queue)',
    file: 'lib/limits/limiter.ts',
    edits: [
      [
        '    if (this.waiting > 0) return false;\n    if (this.decayPerSecond > 0) this.decay();',
        '    if (this.decayPerSecond > 0) this.decay();',
      ],
    ],
    specs: ['spec/limits/limits.property.spec.ts'],
    test: 'should serve callers first come first served',
  },
  // More realistic bugs across the engine
  {
    id: 'allow-failure-ignored-in-wait-for',
    what: 'allowFailure in waitFor is treated as a plain upstream (its failure stops the run)',
    file: 'lib/futures/submit.ts',
    edits: [
      [
        '(upstreams ??= []).push({ run: item.future.run, allowFailure: true });',
        '(upstreams ??= []).push({ run: item.future.run, allowFailure: false });',
      ],
    ],
    specs: ['spec/futures/submit.spec.ts'],
    test: 'should start runs that wait for an allowFailure upstream in waitFor',
  },
  {
    id: 'limiter-set-keeps-partial-slots',
    what: 'several limits taken together: a caller that gets only some of them keeps those slots',
    file: 'lib/limits/limiter-set.ts',
    edits: [['        for (let j = 0; j < i; j++) members[j]!.release(occupy);\n', '']],
    specs: ['spec/limits/limits.property.spec.ts'],
    test: 'should serve callers first come first served',
  },
  {
    id: 'retries-off-by-one',
    what: 'one retry fewer than configured',
    file: 'lib/internal/attempt-loop.ts',
    edits: [
      [
        'if (this.attempt > this.policy.retries || isNonRetriableError(error))',
        'if (this.attempt >= this.policy.retries || isNonRetriableError(error))',
      ],
    ],
    specs: ['spec/task/task-properties.spec.ts'],
    test: 'should make min(failures, retries) + 1 attempts',
  },
  {
    id: 'non-retriable-retried',
    what: 'a NonRetriableError is retried like any other error',
    file: 'lib/internal/attempt-loop.ts',
    edits: [
      [
        'if (this.attempt > this.policy.retries || isNonRetriableError(error))',
        'if (this.attempt > this.policy.retries)',
      ],
    ],
    specs: ['spec/task/task.spec.ts'],
    test: 'should not retry a NonRetriableError',
  },
  {
    id: 'retry-delay-list-off-by-one',
    what: 'retry k waits the delay listed for retry k + 1',
    file: 'lib/policies/backoff.ts',
    edits: [
      [
        'return delaySeconds[Math.min(retry - 1, delaySeconds.length - 1)]!;',
        'return delaySeconds[Math.min(retry, delaySeconds.length - 1)]!;',
      ],
    ],
    specs: ['spec/task/task-properties.spec.ts'],
    test: 'spaced exactly by the configured delays',
  },
  {
    id: 'timeout-does-not-abort-signal',
    what: "a timed-out attempt's signal is never aborted",
    file: 'lib/internal/attempt-loop.ts',
    edits: [
      [
        '    token?.abort(reason === undefined ? takeAbortReason(unsubscribed) : reason);',
        '    if (!(reason instanceof TimeoutError)) token?.abort(reason === undefined ? takeAbortReason(unsubscribed) : reason);',
      ],
    ],
    specs: ['spec/task/task.spec.ts'],
    test: 'should reject with a TimeoutError and abort the signal with it as reason',
  },
  {
    id: 'cache-expiration-ignored',
    what: 'a cached entry stays valid after its expiration',
    file: 'lib/operators/cache-result.ts',
    edits: [['    return expiration === null || this.scheduler.now() < expiration;', '    return true;']],
    specs: ['spec/cache/task-caching.spec.ts', 'spec/operators/cache-result.spec.ts'],
    test: 'should expire entries on the',
  },
  {
    id: 'tag-slot-not-released',
    what: "a task run's tag concurrency slots are never given back",
    file: 'lib/internal/engine/run-driver.ts',
    edits: [['    this.tagSlots?.release();\n', '']],
    specs: ['spec/limits/tag-limits.spec.ts'],
    test: 'should run at most n task runs carrying the tag at once',
  },
  {
    id: 'hook-not-awaited',
    what: "a run's result is delivered before its async state hooks settle",
    file: 'lib/internal/engine/run-driver.ts',
    edits: [['      void Promise.all(pending).then(() => this.settle(state));', '      this.settle(state);']],
    specs: ['spec/task/task-hooks.spec.ts'],
    test: 'should await async hooks before the call settles',
  },
  {
    id: 'concurrency-slot-kept-on-throw',
    what: 'concurrency() gives its slots back only when fn succeeds',
    file: 'lib/limits/concurrency.ts',
    edits: [
      [
        '  try {\n    return await fn();\n  } finally {\n    pool.release(occupy);\n  }',
        '  const out = await fn();\n  pool.release(occupy);\n  return out;',
      ],
    ],
    specs: ['spec/limits/limits.property.spec.ts'],
    test: 'should never exceed a concurrency limit, end every waiter and release every slot',
  },
  {
    id: 'rate-limit-decays-too-fast',
    what: 'a rate limit drains its slots ten times too fast',
    file: 'lib/limits/limiter.ts',
    edits: [
      [
        'const drained = ((now - this.updatedAt) * this.decayPerSecond) / 1000;',
        'const drained = ((now - this.updatedAt) * this.decayPerSecond) / 100;',
      ],
    ],
    specs: ['spec/limits/limits.property.spec.ts'],
    test: 'should never let more than limit + rate × window slots through a rate limit',
  },
  {
    id: 'waiter-leaves-without-unqueueing',
    what: 'a waiter that leaves the middle of a limit queue is still counted as waiting',
    file: 'lib/limits/waiter-queue.ts',
    edits: [
      [
        '    this.items[index] = undefined;\n    waiter.queueIndex = -1;\n    this.size--;\n    return true;',
        '    this.items[index] = undefined;\n    waiter.queueIndex = -1;\n    return true;',
      ],
    ],
    specs: ['spec/limits/waiter-queue.spec.ts'],
    test: 'should behave like an array model under any mix of pushes, leaves, shifts and tidies',
  },
  {
    id: 'cursor-queue-loses-chunk',
    what: 'the cursor queue skips the first value of each chunk after the first',
    file: 'lib/internal/cursor-queue.ts',
    edits: [
      ['      head = this.head;\n      this.cursor = 0;', '      head = this.head;\n      this.cursor = 1;'],
    ],
    specs: ['spec/internal/cursor-queue.spec.ts'],
    test: 'should behave as an array used as a FIFO',
  },
  {
    id: 'exponential-backoff-linear',
    what: 'exponentialBackoff grows linearly (factor × (k + 1)) instead of doubling',
    file: 'lib/policies/backoff.ts',
    edits: [['backoffFactor * 2 ** k', 'backoffFactor * (k + 1)']],
    specs: ['spec/policies/backoff.spec.ts'],
    test: 'should double from the backoff factor, one delay per retry',
  },
];

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const ids = args.filter((a) => !a.startsWith('--'));
const known = new Set(['--list', '--markdown', '--baseline', '--whole-spec', '--force', '--help']);
for (const flag of flags)
  if (!known.has(flag)) die(`unknown option ${flag} (known: ${[...known].join(', ')})`);
if (flags.has('--help')) {
  console.log(
    readFileSync(fileURLToPath(import.meta.url), 'utf8')
      .split('\n')
      .slice(1, 10)
      .join('\n'),
  );
  process.exit(0);
}

const seen = new Set();
for (const m of MUTANTS) {
  if (seen.has(m.id)) die(`duplicate mutant id ${m.id}`);
  seen.add(m.id);
}
const unknown = ids.filter((id) => !seen.has(id));
if (unknown.length > 0) die(`unknown mutant id(s): ${unknown.join(', ')}; see --list`);
const chosen = ids.length === 0 ? MUTANTS : MUTANTS.filter((m) => ids.includes(m.id));

if (flags.has('--markdown')) {
  console.log('| id | the planted bug | in | caught by |\n|---|---|---|---|');
  for (const m of chosen) {
    const by = m.specs.map((spec) => `\`${spec}\``).join(', ') + (m.test ? ` › "${m.test}"` : '');
    console.log(`| \`${m.id}\` | ${m.what} | \`${m.file}\` | ${by} |`);
  }
  process.exit(0);
}

if (flags.has('--list')) {
  for (const m of chosen)
    console.log(`${m.id}\n  ${m.what}\n  ${m.file} → ${m.specs.join(', ')}${m.test ? ` › ${m.test}` : ''}`);
  process.exit(0);
}

if (!flags.has('--force') && !flags.has('--baseline')) {
  const status = spawnSync('git', ['status', '--porcelain', '--', 'lib'], { cwd: root, encoding: 'utf8' });
  if (status.status !== 0) die(`git status failed: ${status.stderr}`);
  if (status.stdout.trim() !== '') {
    die(`lib/ has uncommitted changes; commit or stash them, or pass --force:\n${status.stdout}`);
  }
}

// Ctrl-C: the child jest gets it too; the finally below restores the file before we exit.
let interrupted = false;
/** The jest process running, if any: stopped too when we are. */
let running;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    interrupted = true;
    running?.kill(signal);
  });
}

// Every search text is checked before anything is planted: a stale table fails at once.
for (const m of chosen) plan(m);

const results = [];
const work = mkdtempSync(join(tmpdir(), 'rxflow-mutants-'));
try {
  for (const m of chosen) {
    if (interrupted) break;
    results.push(await runOne(m));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log('');
const width = Math.max(...results.map((r) => r.id.length));
for (const r of results) console.log(`${r.verdict.padEnd(9)} ${r.id.padEnd(width)}  ${r.detail}`);
const bad = results.filter((r) => r.verdict !== (flags.has('--baseline') ? 'passed' : 'caught'));
if (interrupted) console.log('interrupted; lib/ restored');
console.log(
  flags.has('--baseline')
    ? `${results.length - bad.length}/${results.length} passed on the unchanged code`
    : `${results.length - bad.length}/${results.length} caught`,
);
process.exit(bad.length === 0 && !interrupted ? 0 : 1);

/** Plants `m`, runs its specs, restores the file; the verdict. */
async function runOne(m) {
  const path = join(root, m.file);
  const { original, mutated } = plan(m);
  const label = flags.has('--baseline') ? 'baseline' : 'planted';
  console.log(`\n=== ${m.id} (${label}): ${m.what}`);
  if (!flags.has('--baseline')) writeFileSync(path, mutated);
  try {
    const outcome = await runJest(m);
    if (outcome.ran === -1) return { id: m.id, verdict: 'ERROR', detail: outcome.error };
    if (outcome.ran === 0)
      return { id: m.id, verdict: 'NO TESTS', detail: `no test matched in ${m.specs.join(', ')}` };
    const failed = outcome.failedTests;
    if (flags.has('--baseline')) {
      return failed.length === 0 && outcome.ok
        ? { id: m.id, verdict: 'passed', detail: `${outcome.ran} test(s)` }
        : { id: m.id, verdict: 'FAILED', detail: failed.join('; ') || outcome.error };
    }
    if (failed.length > 0) return { id: m.id, verdict: 'caught', detail: `by ${failed.join('; ')}` };
    if (!outcome.ok) return { id: m.id, verdict: 'caught', detail: `suite failed: ${outcome.error}` };
    return {
      id: m.id,
      verdict: 'SURVIVED',
      detail: `${outcome.ran} test(s) of ${m.specs.join(', ')} passed`,
    };
  } finally {
    writeFileSync(path, original);
    if (readFileSync(path, 'utf8') !== original) die(`could not restore ${m.file}; check git diff`);
  }
}

/** The file's text and the same text with the bug planted; dies unless each search text occurs exactly once. */
function plan(m) {
  const original = readFileSync(join(root, m.file), 'utf8');
  let mutated = original;
  for (const [search, replacement] of m.edits) {
    const count = original.split(search).length - 1;
    if (count !== 1) {
      die(
        `${m.id}: the search text occurs ${count} times in ${m.file} (expected exactly once); lib/ changed, update the table:\n${search}`,
      );
    }
    mutated = mutated.replace(search, () => replacement);
  }
  return { original, mutated };
}

/** Runs the named specs (only the named test unless --whole-spec) with one jest worker. */
function runJest(m) {
  const out = join(work, `${m.id}.json`);
  const jestArgs = [
    join(root, 'node_modules/jest/bin/jest.js'),
    '--maxWorkers=1',
    '--ci',
    '--json',
    `--outputFile=${out}`,
    ...(m.test && !flags.has('--whole-spec') ? ['--testNamePattern', escapeRegExp(m.test)] : []),
    '--',
    ...m.specs,
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, jestArgs, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    running = child;
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', () => {
      running = undefined;
      let report;
      try {
        report = JSON.parse(readFileSync(out, 'utf8'));
      } catch {
        resolve({ ran: -1, failedTests: [], ok: false, error: lastLines(stderr) || 'jest wrote no report' });
        return;
      }
      const failedTests = [];
      for (const suite of report.testResults) {
        for (const t of suite.assertionResults) if (t.status === 'failed') failedTests.push(t.title);
      }
      const suiteErrors = report.testResults.filter(
        (s) => s.status === 'failed' && s.assertionResults.every((t) => t.status !== 'failed'),
      );
      resolve({
        ran: report.numPassedTests + report.numFailedTests,
        failedTests,
        ok: report.numFailedTestSuites === 0 && report.numRuntimeErrorTestSuites === 0,
        error: suiteErrors.map((s) => lastLines(s.message)).join('; '),
      });
    });
  });
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function lastLines(text) {
  return String(text).trim().split('\n').slice(-3).join(' ').slice(0, 300);
}

function die(message) {
  console.error(`mutants: ${message}`);
  process.exit(2);
}
