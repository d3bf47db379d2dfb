import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

// A Node app bundled with rxflow inside (esbuild, platform node) must keep the module that
// installs AsyncLocalStorage: `sideEffects` names it, so a bundler does not drop its bare import.
describe('rxflow bundled into a Node app', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'rxflow-node-bundle-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('should keep the context store, so a task called after an await is still its flow run’s child', async () => {
    const esbuild = require('esbuild') as typeof import('esbuild');
    const entry = path.join(dir, 'app.ts');
    writeFileSync(
      entry,
      `import { flow, task, runStates$ } from ${JSON.stringify(path.join(ROOT, 'lib/index.node'))};
const parents = new Map<string, string | undefined>();
runStates$.subscribe(({ run }) => parents.set(run.name, run.parentRunId));
const step = task({ name: 'step', taskRunName: 'step-run' }, async () => 1);
const app = flow({ name: 'app', flowRunName: 'app-run' }, async () => {
  await new Promise((resolve) => setTimeout(resolve, 1));
  return step();
});
app().then(() => console.log(JSON.stringify({ linked: parents.get('step-run') !== undefined })));
`,
    );
    const result = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: path.join(dir, 'app.js'),
      logLevel: 'silent',
    });
    expect(result.warnings.map((w) => w.text)).toEqual([]);
    const out = execFileSync(process.execPath, [path.join(dir, 'app.js')], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(JSON.parse(out.trim())).toEqual({ linked: true });
  });
});
