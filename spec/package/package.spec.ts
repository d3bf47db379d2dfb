// The package as users get it. A copy of the sources without dist/ is packed with `npm pack`
// (its prepack builds dist/ afresh: never a stale build from the working tree), then:
// - the packed build runs through its `exports` conditions, dual ESM/CommonJS, every entry point;
// - the tarball is installed into a fresh ESM project and a fresh CommonJS project, which run a
//   flow and a task, use an `rxflow/testing` arbitrary with fast-check, typecheck that code with
//   tsc (node16/nodenext resolution), and load both builds in one process: one engine.
// Slow (a build and two `npm install`s): each step has its own timeout.
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

const root = resolve(__dirname, '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const SOURCES = ['package.json', 'README.md', 'lib', 'scripts', 'tsconfig.json', 'tsconfig.build.json'];

let work: string; // every temp file of this spec lives under it
let source: string; // the packed copy of the sources, built by prepack
let tarball: string;
let packedFiles: string[];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'rxflow-package-'));
  source = join(work, 'source');
  for (const entry of SOURCES) cpSync(join(root, entry), join(source, entry), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(source, 'node_modules'), 'dir');
  const out = execFileSync(npm, ['pack', '--json', '--pack-destination', work], {
    cwd: source,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [packed] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  tarball = join(work, packed!.filename);
  packedFiles = packed!.files.map((f) => f.path);
}, 300_000);

// The two projects install side by side: npm waits on the network and the disk, not the CPU.
beforeAll(async () => {
  await Promise.all(
    ['module', 'commonjs'].map(async (type) => {
      const project = join(work, `project-${type}`);
      mkdirSync(project);
      writeFileSync(
        join(project, 'package.json'),
        JSON.stringify({ name: `consumer-${type}`, version: '1.0.0', private: true, type }),
      );
      await execFileAsync(
        npm,
        ['install', tarball, 'fast-check@^4', 'rxjs@^7', '--no-audit', '--no-fund', '--prefer-offline'],
        { cwd: project, timeout: 240_000 },
      );
    }),
  );
}, 300_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

/** Writes `source` to `dir/file` and runs it with Node there; its trimmed stdout. */
function run(dir: string, file: string, code: string): string {
  const path = join(dir, file);
  writeFileSync(path, code);
  return execFileSync(process.execPath, [path], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  }).trim();
}

describe('npm pack', () => {
  it('should build dist/ before packing and ship every file the exports map names', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
      main: string;
      types: string;
    };
    const targets = new Set<string>([pkg.main, pkg.types]);
    const walk = (value: unknown): void => {
      if (typeof value === 'string') targets.add(value);
      else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
    };
    walk(pkg.exports);
    const missing = [...targets]
      .map((t) => t.replace(/^\.\//, ''))
      .filter((t) => t !== 'package.json' && !packedFiles.includes(t));
    expect(missing).toEqual([]);
    // Declarations per format: the ESM ones in a `"type": "module"` scope.
    expect(packedFiles).toEqual(
      expect.arrayContaining([
        'dist/esm/package.json',
        'dist/cjs/package.json',
        'dist/esm/testing/index.node.d.ts',
      ]),
    );
    expect(JSON.parse(readFileSync(join(source, 'dist/esm/package.json'), 'utf8')).type).toBe('module');
    expect(packedFiles.filter((f) => f.startsWith('lib/') || f.startsWith('spec/'))).toEqual([]);
  });
});

describe('the built package', () => {
  let consumer: string;

  beforeAll(() => {
    consumer = join(work, 'linked');
    mkdirSync(join(consumer, 'node_modules'), { recursive: true });
    symlinkSync(source, join(consumer, 'node_modules/rxflow'), 'dir');
  });

  it('should run a task through require() of every CommonJS entry', () => {
    const out = run(
      consumer,
      'cjs.cjs',
      `const { task, flow, getRunContext } = require('rxflow');
       const ops = require('rxflow/operators');
       const testing = require('rxflow/testing');
       const node = require('rxflow/node');
       const t = task({ retries: 1 }, async (x) => { await null; return getRunContext().flowRun?.name + ':' + x; });
       const f = flow({ flowRunName: 'f' }, async () => t(1));
       f().then((v) => console.log(v, typeof ops.toStates, typeof testing.withVirtualTime, typeof node.installShutdownHandler));`,
    );
    // 'f:1' proves AsyncLocalStorage (the node condition) carried the flow across the await.
    expect(out).toBe('f:1 function function function');
  });

  it('should run a task through import of every ESM entry', () => {
    const out = run(
      consumer,
      'esm.mjs',
      `import { task, flow, getRunContext } from 'rxflow';
       import { toStates } from 'rxflow/operators';
       import { withVirtualTime } from 'rxflow/testing';
       import { installShutdownHandler } from 'rxflow/node';
       const t = task({ retries: 5, retryDelaySeconds: 3600 }, async (x) => { await null; if (getRunContext().taskRun.runCount < 3) throw new Error('again'); return getRunContext().flowRun?.name + ':' + x; });
       const f = flow({ flowRunName: 'f' }, async () => t(2));
       console.log(await withVirtualTime(() => f()), typeof toStates, typeof installShutdownHandler);`,
    );
    // Two hour-long retry delays finish at once on the virtual clock of rxflow/testing.
    expect(out).toBe('f:2 function function');
  });

  it('should trace runs through rxflow/opentelemetry, from require() and from import', () => {
    const sdk = JSON.stringify(join(root, 'node_modules/@opentelemetry/sdk-trace-base'));
    const body = `const exporter = new InMemorySpanExporter();
       const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
       const instrumentation = instrumentRuns({ tracerProvider: provider });
       const t = task({ taskRunName: 't' }, (x) => x);
       const f = flow({ flowRunName: 'f' }, async () => t(1));
       f().then(() => {
         instrumentation.unsubscribe();
         const [child, parent] = exporter.getFinishedSpans();
         console.log(child.name, parent.name, child.parentSpanContext.spanId === parent.spanContext().spanId);
       });`;
    const cjs = run(
      consumer,
      'otel.cjs',
      `const { task, flow } = require('rxflow');
       const { instrumentRuns } = require('rxflow/opentelemetry');
       const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require(${sdk});
       ${body}`,
    );
    const esm = run(
      consumer,
      'otel.mjs',
      `import { task, flow } from 'rxflow';
       import { instrumentRuns } from 'rxflow/opentelemetry';
       import { createRequire } from 'node:module';
       const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = createRequire(import.meta.url)(${sdk});
       ${body}`,
    );
    expect([cjs, esm]).toEqual(['t f true', 't f true']);
  });

  it('should refuse deep imports of internals', () => {
    // The child fails on Node's own refusal, not on anything else (execFileSync's error carries its stderr).
    expect(() => run(consumer, 'deep.cjs', `require('rxflow/internal/context')`)).toThrow(
      /ERR_PACKAGE_PATH_NOT_EXPORTED[^]*'\.\/internal\/context'|'\.\/internal\/context'[^]*ERR_PACKAGE_PATH_NOT_EXPORTED/,
    );
  });
});

// The same program for both projects: `load` gives the other build of rxflow (CommonJS from
// ESM, ESM from CommonJS). It prints one JSON line.
const program = `
  const runNames = [];
  const sub = rxflow.runStates$.subscribe(({ run, state }) => {
    if (state.name === 'Completed') runNames.push(run.name);
  });
  const double = rxflow.task({ name: 'double', taskRunName: 'double-{n}', retries: 2, retryDelaySeconds: 3600, parameterNames: ['n'] }, async (n) => {
    if (rxflow.getRunContext().taskRun.runCount < 2) throw new Error('once');
    return n * 2;
  });
  const report = rxflow.flow({ name: 'report', flowRunName: 'report-{symbol}', parameterNames: ['symbol'] }, async (symbol) => double(symbol.length));
  const result = await testing.withVirtualTime(() => report('ACME'));

  let policies = 0;
  fc.assert(fc.property(testing.arbRetryPolicy(), (policy) => { policies++; return policy.retries >= 0; }), { numRuns: 25 });

  const other = await load();
  const seenByOther = [];
  const otherSub = other.runStates$.subscribe(({ run }) => seenByOther.push(run.name));
  await rxflow.task({ taskRunName: 'from-this' }, () => 1)();
  await other.task({ taskRunName: 'from-other' }, () => 2)();
  const linked = await rxflow.flow({ name: 'outer' }, async () => {
    await null;
    const inner = await other.task({ taskRunName: 'inner' }, async () => { await null; return other.getRunContext().taskRun.flowRunId; })();
    return inner === rxflow.getRunContext().flowRun.id;
  })();
  sub.unsubscribe();
  otherSub.unsubscribe();
  console.log(JSON.stringify({
    result,
    runNames,
    policies,
    twoBuilds: other.task !== rxflow.task,
    thisSeesOther: runNames.includes('from-other'),
    otherSeesThis: seenByOther.includes('from-this'),
    linked,
  }));
`;

const typed = `
  const double = task({ name: 'double', parameterNames: ['n'] }, (n: number) => n * 2);
  const report = flow({ name: 'report', flowRunName: 'report-{symbol}', parameterNames: ['symbol'] }, async (symbol: string) =>
    double(symbol.length),
  );
  fc.assert(fc.property(arbRetryPolicy(), arbFailureScript(), (policy: RetryPolicy, script: FailureScript) => policy.retries >= 0 && script !== undefined));
  export const result: Promise<number> = withVirtualTime(() => report('ACME'));
  export const states: Observable<RunStateEvent> = runStates$;
  export const ops: typeof toStates = toStates;
`;
const typedImports = `
  import fc from 'fast-check';
  import type { Observable } from 'rxjs';
  import { flow, runStates$, task, type RunStateEvent } from 'rxflow';
  import { toStates } from 'rxflow/operators';
  import { arbFailureScript, arbRetryPolicy, withVirtualTime, type FailureScript, type RetryPolicy } from 'rxflow/testing';
`;

const expected = {
  result: 8,
  runNames: expect.arrayContaining(['double-4', 'report-ACME', 'from-this', 'from-other', 'inner']),
  policies: 25,
  twoBuilds: true,
  thisSeesOther: true,
  otherSeesThis: true,
  linked: true,
};

describe.each([
  {
    kind: 'ESM',
    type: 'module',
    file: 'main.mjs',
    code: `import fc from 'fast-check';
      import * as rxflow from 'rxflow';
      import * as testing from 'rxflow/testing';
      import { createRequire } from 'node:module';
      const load = async () => createRequire(import.meta.url)('rxflow');
      ${program}`,
  },
  {
    kind: 'CommonJS',
    type: 'commonjs',
    file: 'main.cjs',
    code: `const fc = require('fast-check');
      const rxflow = require('rxflow');
      const testing = require('rxflow/testing');
      const load = () => import('rxflow');
      (async () => { ${program} })();`,
  },
])('the tarball installed into a fresh $kind project', ({ type, file, code }) => {
  const project = (): string => join(work, `project-${type}`);

  it('should run a flow and a task, use an arbitrary with fast-check, and run one engine for both builds', () => {
    const out = JSON.parse(run(project(), file, code)) as Record<string, unknown>;
    expect(out).toEqual(expected);
  }, 60_000);

  it('should typecheck code using rxflow, rxflow/operators and rxflow/testing with fast-check (nodenext)', () => {
    writeFileSync(join(project(), 'check.ts'), typedImports + typed);
    writeFileSync(
      join(project(), 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'ES2022',
          lib: ['ES2022', 'DOM'],
          types: [],
          noEmit: true,
          skipLibCheck: false,
        },
        files: ['check.ts'],
      }),
    );
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', project()], {
        cwd: project(),
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout);
    }
    expect(output).toBe('');
  }, 120_000);
});
