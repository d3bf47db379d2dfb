import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import type { Plugin } from 'esbuild';

const ROOT = path.resolve(__dirname, '../..');

async function bundle(entry: string): Promise<{ text: string; inputs: string[] }> {
  const esbuild = require('esbuild') as typeof import('esbuild');
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'rxflow',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  expect(result.errors).toEqual([]);
  return { text: result.outputFiles[0]!.text, inputs: Object.keys(result.metafile.inputs) };
}

/** A fresh realm with only what browsers have of the globals the engine might use. */
function browserRealm(): vm.Context {
  return vm.createContext({
    queueMicrotask,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    AbortController,
    AbortSignal,
    crypto: globalThis.crypto,
    console,
  });
}

describe('the browser build', () => {
  let root: { text: string; inputs: string[] };

  beforeAll(async () => {
    root = await bundle('lib/index.ts');
  });

  it.each([['lib/index.ts'], ['lib/operators/index.ts']])(
    'should bundle %s for the browser without node: imports or async_hooks',
    async (entry) => {
      const { text, inputs } = entry === 'lib/index.ts' ? root : await bundle(entry);
      expect(text.length).toBeGreaterThan(0);
      expect(text).not.toMatch(/["']node:/);
      expect(text).not.toContain('async_hooks');
      expect(inputs.filter((i) => /context-node|lib\/node\//.test(i))).toEqual([]);
    },
  );

  it('should run in a realm without Node globals and link a task called after an await to its flow', async () => {
    const realm = browserRealm();
    vm.runInContext(root.text, realm, { filename: 'rxflow.browser.js' });
    expect(vm.runInContext('typeof process + typeof require + typeof setImmediate', realm)).toBe(
      'undefinedundefinedundefined',
    );
    const result = await vm.runInContext(
      `(async () => {
        const { flow, task, getRunContext, runStates$ } = rxflow;
        const runs = new Map();
        const subscription = runStates$.subscribe(({ run }) => runs.set(run.id, run));
        const child = task({ name: 'child' }, async (x) => {
          const { taskRun } = getRunContext();
          await null;
          return { x, id: taskRun.id };
        });
        const parent = flow({ name: 'parent' }, async () => {
          const own = getRunContext().flowRun.id;
          await new Promise((resolve) => setTimeout(resolve, 0));
          const first = await child(1);
          const second = await child(2);
          return { own, children: [first.id, second.id] };
        });
        const out = await parent();
        subscription.unsubscribe();
        return {
          own: out.own,
          children: out.children.map((id) => ({ parentRunId: runs.get(id).parentRunId, flowRunId: runs.get(id).flowRunId })),
          standalone: await task(() => getRunContext().taskRun.flowRunId)(),
          propagates: (() => { try { getRunContext(); return 'no error'; } catch (e) { return e.name; } })(),
        };
      })()`,
      realm,
    );
    expect(result.children).toEqual([
      { parentRunId: result.own, flowRunId: result.own },
      { parentRunId: result.own, flowRunId: result.own },
    ]);
    expect(result.standalone).toBeUndefined();
    expect(result.propagates).toBe('MissingContextError');
  });

  it('should keep two flows started side by side apart: neither is the other’s subflow, and no run is linked to the wrong flow', async () => {
    const realm = browserRealm();
    vm.runInContext(root.text, realm, { filename: 'rxflow.browser.js' });
    const result = await vm.runInContext(
      `(async () => {
        const { flow, task, getRunContext, runStates$ } = rxflow;
        const runs = new Map();
        const subscription = runStates$.subscribe(({ run }) => runs.set(run.id, run));
        const child = task(() => getRunContext().taskRun.flowRunId);
        let open;
        const gate = new Promise((resolve) => (open = resolve));
        const both = flow(async () => {
          const own = getRunContext().flowRun.id;
          const sync = child(); // called before the first await: linked by the context stack
          await gate; // both flows are active when they resume
          return { own, sync: await sync, after: await child() };
        });
        const started = Promise.all([both(), both()]); // from top-level code, outside any flow
        setTimeout(open, 0);
        const [a, b] = await started;
        subscription.unsubscribe();
        const link = (id) => ({ parentRunId: runs.get(id).parentRunId, flowRunId: runs.get(id).flowRunId });
        return { a, b, aLink: link(a.own), bLink: link(b.own) };
      })()`,
      realm,
    );
    expect(result.a.sync).toBe(result.a.own);
    expect(result.b.sync).toBe(result.b.own);
    // Top-level flows have no parent.
    expect(result.aLink).toEqual({ parentRunId: undefined, flowRunId: undefined });
    expect(result.bLink).toEqual({ parentRunId: undefined, flowRunId: undefined });
    // With two unrelated flows active there is no safe guess: a run started after an await is
    // standalone, never linked to the other flow.
    expect([result.a.own, undefined]).toContain(result.a.after);
    expect([result.b.own, undefined]).toContain(result.b.after);
  });

  // TODO(virtual-time): a real 10 ms timeout; the browser realm has no withVirtualTime bundled.
  it('should run a task with retries and a timeout on real timers in the browser realm', async () => {
    const realm = browserRealm();
    vm.runInContext(root.text, realm, { filename: 'rxflow.browser.js' });
    const states = await vm.runInContext(
      `(async () => {
        const { task } = rxflow;
        let calls = 0;
        const t = task({ retries: 1, timeoutSeconds: 0.01 }, () => new Promise((resolve) => {
          if (++calls === 2) resolve('second');
        }));
        const names = [];
        await new Promise((resolve) => t.run$().subscribe({ next: (s) => names.push(s.name), complete: resolve }));
        return names;
      })()`,
      realm,
    );
    expect(states).toEqual(['Pending', 'Running', 'Retrying', 'Completed']);
  });
});

/** Resolves the Node entry (`lib/index.node.js`) to the browser one, as a bundler's conditions would. */
const browserEntry: Plugin = {
  name: 'browser-entry',
  setup(build) {
    build.onResolve({ filter: /\/lib\/index\.node\.js$/ }, () => ({ path: path.join(ROOT, 'lib/index.ts') }));
  },
};

/** Bundles `contents` (a module in `dir`) as a user's bundler would for a web page, minified. */
async function minified(contents: string, dir: string, format: 'esm' | 'iife' = 'esm'): Promise<string> {
  const esbuild = require('esbuild') as typeof import('esbuild');
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    stdin: { contents, resolveDir: dir, sourcefile: 'entry.ts', loader: 'ts' },
    bundle: true,
    minify: true,
    format,
    ...(format === 'iife' ? { globalName: 'rxflow' } : {}),
    platform: 'browser',
    write: false,
    logLevel: 'silent',
    plugins: [browserEntry],
  });
  expect(result.errors).toEqual([]);
  return result.outputFiles[0]!.text;
}

/** Runs a bundle in a browser realm and resolves with what it printed once a line matches `last`. */
function runPrinting(text: string, last: RegExp): Promise<string[]> {
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    const print = (...args: unknown[]) => {
      const line = args.map(String).join(' ');
      lines.push(line);
      if (last.test(line)) resolve(lines);
    };
    const realm = browserRealm();
    realm.console = { log: print, info: print, warn: print, error: print, debug: print };
    try {
      vm.runInContext(text, realm, { filename: 'page.min.js' });
    } catch (error) {
      reject(error as Error);
    }
  });
}

describe('a minified browser bundle', () => {
  const readmeDir = path.join(ROOT, 'examples/docs');
  const readme = readFileSync(path.join(readmeDir, 'readme.ts'), 'utf8');

  it("should run README's example (esbuild --bundle --minify --format=esm --platform=browser) with its run names", async () => {
    const text = await minified(readme, readmeDir);
    const lines = await runPrinting(text, /^average: /);
    expect(lines.filter((l) => l.startsWith('report-ACME'))).toEqual([
      expect.stringMatching(/^report-ACME +Pending$/),
      expect.stringMatching(/^report-ACME +Running$/),
      expect.stringMatching(/^report-ACME +Completed$/),
    ]);
    expect(lines).toContainEqual(expect.stringMatching(/^fetch-prices-\w{3} +Completed$/));
    expect(lines.at(-1)).toBe('average: 102');
  });

  it('should refuse at load, saying to set parameterNames, when a template names a parameter the minifier renamed', async () => {
    const withoutNames = readme.replace(", parameterNames: ['symbol']", '');
    expect(withoutNames).not.toBe(readme);
    const text = await minified(withoutNames, readmeDir);
    await expect(runPrinting(text, /^average: /)).rejects.toMatchObject({
      name: 'OptionValidationError',
      message: expect.stringMatching(
        /'\{symbol\}', which is not a parameter .*minifier.*parameterNames option/,
      ),
    });
  });

  it('should keep the name of every exported error class', async () => {
    const text = await minified(
      `export * from '../lib/index';
       export * from '../lib/testing/index';
       export * from '../lib/operators/index';
       export { WorkerTransferError, isWorkerTransferError } from '../lib/node/worker-transfer-error';`,
      path.join(ROOT, 'spec'),
      'iife',
    );
    const realm = browserRealm();
    vm.runInContext(text, realm, { filename: 'rxflow.min.js' });
    // Constructor arguments by class; every error class the bundle exports must be listed.
    const args: Record<string, unknown[]> = {
      ArtifactNotFoundError: ['no artifact', 'id'],
      ArtifactValidationError: ['createMarkdownArtifact', ['bad']],
      CacheKeyError: ['bad key'],
      CancelledError: [],
      ConcurrencyLimitError: ['db', 'too many'],
      CrashedError: ['crashed'],
      DeadlockError: [['a run'], 0],
      EventValidationError: [[]],
      MissingContextError: ['no run'],
      NonRetriableError: ['stop'],
      OptionValidationError: ["task 't'", 'retries', 'bad'],
      ParameterValidationError: ['f', []],
      ResultRecordError: ['key', 'damaged'],
      RunNotFoundError: ['no run', 'id'],
      StepLimitError: [10, 0, 0, []],
      StorageKeyError: ['../x', 'bad key'],
      TimeoutError: [1],
      UpstreamTaskError: ['id', 'upstream'],
      WorkerTransferError: ['t', 'a function'],
    };
    const names = vm.runInContext(
      `(() => {
        const args = ${JSON.stringify(args)};
        const out = {};
        for (const [key, value] of Object.entries(rxflow)) {
          if (typeof value !== 'function' || !(value.prototype instanceof Error) || key === 'RxflowError') continue;
          if (!(key in args)) { out[key] = 'no constructor arguments listed in the spec'; continue; }
          const error = new value(...args[key]);
          const guard = rxflow['is' + key];
          out[key] = { name: error.name, guard: typeof guard === 'function' && guard(error), stack: error.stack.split('\\n')[0].split(':')[0] };
        }
        // The abstract base names a subclass of yours after its class, unless it says otherwise.
        class Mine extends rxflow.RxflowError { code = 'MINE'; }
        class Fatal extends rxflow.NonRetriableError {}
        out.subclasses = [new Mine('m').name, new Fatal('f').name];
        return out;
      })()`,
      realm,
    ) as Record<string, unknown>;
    expect(names).toEqual(
      Object.fromEntries([
        ...Object.keys(args).map((key) => [key, { name: key, guard: true, stack: key }]),
        ['subclasses', ['Mine', 'Fatal']],
      ]),
    );
  });
});
