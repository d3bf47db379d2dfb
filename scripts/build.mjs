// Dual build: ESM (dist/esm), CommonJS (dist/cjs) and declarations (dist/types), all by tsc,
// one output file per source file, so every entry point shares the same engine module instances.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';

const tsc = (...args) =>
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', ...args], { stdio: 'inherit' });

rmSync('dist', { recursive: true, force: true });
tsc('-p', 'tsconfig.build.json', '--outDir', 'dist/esm', '--module', 'ESNext');
tsc(
  '-p',
  'tsconfig.build.json',
  '--outDir',
  'dist/cjs',
  '--module',
  'CommonJS',
  '--moduleResolution',
  'Node10',
);
tsc(
  '-p',
  'tsconfig.build.json',
  '--outDir',
  'dist/types',
  '--declaration',
  '--emitDeclarationOnly',
  '--sourceMap',
  'false',
);
mkdirSync('dist/esm', { recursive: true });
writeFileSync('dist/esm/package.json', JSON.stringify({ type: 'module', sideEffects: false }) + '\n');
writeFileSync('dist/cjs/package.json', JSON.stringify({ type: 'commonjs' }) + '\n');
