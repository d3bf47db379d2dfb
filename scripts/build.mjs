// Dual build: ESM (dist/esm) and CommonJS (dist/cjs), all by tsc, one output file per source
// file, each with its declarations beside it. A package.json in each directory gives its files
// their module format, the declarations included: TypeScript reads dist/esm/*.d.ts as ESM and
// dist/cjs/*.d.ts as CommonJS, so each `exports` condition has types of its own format (an ESM
// project then sees the same fast-check types through `rxflow/testing` as through `fast-check`).
// Both copies share one engine when a process loads both (lib/internal/shared.ts).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = (...args) =>
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), ...args], {
    cwd: root,
    stdio: 'inherit',
  });

// The shared-state registry is keyed by version: a copy must say the version it ships in.
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const source = readFileSync(join(root, 'lib/internal/shared.ts'), 'utf8');
if (!source.includes(`export const RXFLOW_VERSION = '${version}';`)) {
  throw new Error(`lib/internal/shared.ts: RXFLOW_VERSION must be '${version}', package.json's version`);
}

rmSync(join(root, 'dist'), { recursive: true, force: true });
const common = ['-p', 'tsconfig.build.json', '--declaration', '--declarationMap', 'false'];
tsc(...common, '--outDir', 'dist/esm', '--module', 'ESNext');
tsc(...common, '--outDir', 'dist/cjs', '--module', 'CommonJS', '--moduleResolution', 'Node10');
mkdirSync(join(root, 'dist/esm'), { recursive: true });
writeFileSync(
  join(root, 'dist/esm/package.json'),
  // The one module with a side effect: it installs AsyncLocalStorage as the context store.
  JSON.stringify({ type: 'module', sideEffects: ['./internal/context-node.js'] }) + '\n',
);
writeFileSync(join(root, 'dist/cjs/package.json'), JSON.stringify({ type: 'commonjs' }) + '\n');
