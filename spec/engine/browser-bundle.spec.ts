import * as path from 'node:path';
import * as vm from 'node:vm';

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
