// The built package, as a user gets it: `exports` conditions, dual ESM/CommonJS, every entry point.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
let consumer: string;

beforeAll(() => {
  if (!existsSync(join(root, 'dist/cjs/index.node.js'))) {
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'ignore' });
  }
  consumer = mkdtempSync(join(tmpdir(), 'rxflow-consumer-'));
  mkdirSync(join(consumer, 'node_modules'));
  symlinkSync(root, join(consumer, 'node_modules/rxflow'), 'dir');
}, 120_000);

afterAll(() => rmSync(consumer, { recursive: true, force: true }));

const run = (file: string, source: string): string => {
  const path = join(consumer, file);
  writeFileSync(path, source);
  return execFileSync(process.execPath, [path], {
    cwd: consumer,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
};

describe('the built package', () => {
  it('should run a task through require() of every CommonJS entry', () => {
    const out = run(
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
      'otel.cjs',
      `const { task, flow } = require('rxflow');
       const { instrumentRuns } = require('rxflow/opentelemetry');
       const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require(${sdk});
       ${body}`,
    );
    const esm = run(
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
    expect(() => run('deep.cjs', `require('rxflow/internal/context')`)).toThrow(
      /ERR_PACKAGE_PATH_NOT_EXPORTED[^]*'\.\/internal\/context'|'\.\/internal\/context'[^]*ERR_PACKAGE_PATH_NOT_EXPORTED/,
    );
  });
});
