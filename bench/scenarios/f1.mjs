// F1: the README example bundled for the browser, as a frontend user would ship it: its size,
// minified and gzipped, and what each package contributes (from esbuild's metafile).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { URL, fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The README's example (examples/docs/readme.ts) importing 'rxflow', as a user writes it. */
const readme = () =>
  readFileSync(`${ROOT}examples/docs/readme.ts`, 'utf8').replace("'../../lib/index.node.js'", "'rxflow'");

/**
 * Bundles `contents` with `esbuild --bundle --minify --format=esm --platform=browser`; 'rxflow'
 * resolves through package.json's exports with the browser conditions (dist/esm/index.js).
 */
async function bundle(contents) {
  const { build } = await import('esbuild');
  const result = await build({
    stdin: { contents, resolveDir: ROOT, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  const packages = {};
  for (const [file, { bytesInOutput }] of Object.entries(Object.values(result.metafile.outputs)[0].inputs)) {
    const name =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ??
      (/(^|\/)dist\//.test(file) ? 'rxflow' : 'entry');
    packages[name] = (packages[name] ?? 0) + bytesInOutput;
  }
  const sorted = Object.fromEntries(Object.entries(packages).sort((a, b) => b[1] - a[1]));
  return { minBytes: code.length, gzipBytes: gzipSync(code).length, packages: sorted };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

export default {
  id: 'F1',
  kind: 'measure',
  title:
    'the README example bundled for the browser (esbuild --bundle --minify --format=esm --platform=browser)',
  variants: {
    // The README example, whole.
    rxflow: () => bundle(readme()),
    // Only task and flow imported: what the smallest program pays.
    'rxflow-task-flow': () => bundle("import { task, flow } from 'rxflow'; console.log(task, flow);"),
  },
  render: (rows) =>
    rows.map((r) =>
      r.error
        ? `${r.variant}: ERROR ${r.error}`
        : `${r.variant}: ${kb(r.figures.minBytes)} minified, ${kb(r.figures.gzipBytes)} gzipped; ` +
          Object.entries(r.figures.packages)
            .filter(([, bytes]) => bytes > 0)
            .map(([name, bytes]) => `${name} ${kb(bytes)}`)
            .join(', '),
    ),
  goals: [
    {
      text: 'README example ≤ 20 KB gzipped',
      value: (v) => v.rxflow.figures.gzipBytes / 1024,
      unit: 'KB',
      max: 20,
    },
  ],
};
