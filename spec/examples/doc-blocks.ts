/**
 * How the guides (README.md, docs/*.md) are tied to the example files they quote, for
 * examples.spec.ts.
 *
 * - Code: an example file marks what a guide quotes with `// #region name` and
 *   `// #endregion name` lines (regions may nest or overlap; marker lines of other regions are
 *   left out of a region's text). In a guide, `<!-- source: examples/docs/x.ts -->` names the file
 *   for the blocks after it, and every ```ts block is preceded by `<!-- region: name -->` on the
 *   line above its fence. The block must equal the region exactly, once the region's common
 *   indentation and its leading and trailing blank lines are removed and its package imports are
 *   written as a user writes them (`'../../lib/index.node.js'` → `'rxflow'`).
 * - Output: a ```text block preceded by `<!-- output: examples/docs/x.ts -->` must equal what the
 *   program prints; with `<!-- output excerpt: examples/docs/x.ts -->` it must be consecutive
 *   lines of what it prints, where a line that starts with `…` stands for any number of lines.
 *   Trailing spaces are not compared.
 */

/** What a guide shows as a package import, and where the example files import it from. */
const IMPORTS: [RegExp, string][] = [
  [/from '(\.\.\/)+lib\/index(\.node)?\.js'/g, "from 'rxflow'"],
  [/from '(\.\.\/)+lib\/operators\/index\.js'/g, "from 'rxflow/operators'"],
  [/from '(\.\.\/)+lib\/testing\/index(\.node)?\.js'/g, "from 'rxflow/testing'"],
  [/from '(\.\.\/)+lib\/node\/index\.js'/g, "from 'rxflow/node'"],
  [/from '(\.\.\/)+lib\/opentelemetry\/index\.js'/g, "from 'rxflow/opentelemetry'"],
];

const REGION = /^\s*\/\/ #region (\S+)\s*$/;
const END_REGION = /^\s*\/\/ #endregion(?: (\S+))?\s*$/;

/** The regions of an example file by name, as a guide must show them; throws on a malformed one. */
export function extractRegions(file: string, source: string): Map<string, string> {
  const lines = source.split('\n');
  const open = new Map<string, number>();
  const regions = new Map<string, string>();
  const isMarker = (line: string) => REGION.test(line) || END_REGION.test(line);
  lines.forEach((line, i) => {
    const start = REGION.exec(line);
    if (start !== null) {
      const name = start[1]!;
      if (open.has(name) || regions.has(name))
        throw new Error(`${file}:${i + 1}: region '${name}' is defined twice`);
      open.set(name, i);
      return;
    }
    const end = END_REGION.exec(line);
    if (end === null) return;
    const name = end[1];
    if (name === undefined) throw new Error(`${file}:${i + 1}: #endregion must name its region`);
    const from = open.get(name);
    if (from === undefined) throw new Error(`${file}:${i + 1}: #endregion ${name} has no #region`);
    open.delete(name);
    regions.set(name, shown(lines.slice(from + 1, i).filter((l) => !isMarker(l))));
  });
  for (const [name, i] of open) throw new Error(`${file}:${i + 1}: region '${name}' is not closed`);
  return regions;
}

/** Lines as a guide shows them: without their common indentation and blank edges, imports as a user writes them. */
function shown(lines: string[]): string {
  const body = lines.map((line) => (line.trim() === '' ? '' : line.trimEnd()));
  const indents = body.filter((line) => line !== '').map((line) => /^ */.exec(line)![0].length);
  const common = indents.length === 0 ? 0 : Math.min(...indents);
  let text = body
    .map((line) => line.slice(common))
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
  for (const [pattern, replacement] of IMPORTS) text = text.replace(pattern, replacement);
  return text;
}

/** A fenced block of a guide and what it is tied to. */
export interface GuideBlock {
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** `ts` or `text` (other languages are not checked). */
  readonly lang: string;
  /** The block's text, without its fences. */
  readonly text: string;
  /** The example file named by the latest `source` marker (ts blocks) or by the `output` marker. */
  readonly file: string | undefined;
  /** The region named on the line above the fence (ts blocks). */
  readonly region: string | undefined;
  /** For a text block under an `output` marker: whether it is the whole output or an excerpt. */
  readonly output: 'whole' | 'excerpt' | undefined;
}

const SOURCE = /^<!-- source: (examples\/[\w/.-]+\.ts) -->$/;
const REGION_MARKER = /^<!-- region: (\S+) -->$/;
const OUTPUT_MARKER = /^<!-- output( excerpt)?: (examples\/[\w/.-]+\.ts) -->$/;

/** The ```ts and ```text blocks of a guide, with the markers that tie them to example files. */
export function guideBlocks(text: string): GuideBlock[] {
  const lines = text.split('\n');
  const blocks: GuideBlock[] = [];
  let source: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const named = SOURCE.exec(line);
    if (named !== null) source = named[1];
    const fence = /^```(\w*)\s*$/.exec(line);
    if (fence === null) continue;
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    const lang = fence[1]!;
    const above = i > 0 ? lines[i - 1]! : '';
    const output = OUTPUT_MARKER.exec(above);
    blocks.push({
      line: i + 1,
      lang,
      text: lines.slice(i + 1, end).join('\n'),
      file: lang === 'text' ? output?.[2] : source,
      region: REGION_MARKER.exec(above)?.[1],
      output: output === null ? undefined : output[1] === undefined ? 'whole' : 'excerpt',
    });
    i = end;
  }
  return blocks;
}

/**
 * Whether `block` is what a program printed (`whole`), or consecutive lines of it where a line
 * starting with `…` stands for any number of lines (`excerpt`). Trailing spaces are ignored.
 */
export function matchesOutput(block: string, stdout: string, mode: 'whole' | 'excerpt'): boolean {
  const clean = (text: string) =>
    text
      .replace(/\n+$/, '')
      .split('\n')
      .map((l) => l.trimEnd());
  const out = clean(stdout);
  const wanted = clean(block);
  if (mode === 'whole') return out.join('\n') === wanted.join('\n');
  const chunks: string[][] = [[]];
  for (const line of wanted) {
    if (line.startsWith('…')) chunks.push([]);
    else chunks.at(-1)!.push(line);
  }
  let from = 0;
  for (const chunk of chunks) {
    if (chunk.length === 0) continue;
    const at = indexOfRun(out, chunk, from);
    if (at === -1) return false;
    from = at + chunk.length;
  }
  return true;
}

/** Where `run` appears as consecutive lines of `lines`, at or after `from`; -1 if it does not. */
function indexOfRun(lines: string[], run: string[], from: number): number {
  outer: for (let i = from; i + run.length <= lines.length; i++) {
    for (let j = 0; j < run.length; j++) if (lines[i + j] !== run[j]) continue outer;
    return i;
  }
  return -1;
}
