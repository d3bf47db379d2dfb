import { extractRegions, guideBlocks, matchesOutput } from './doc-blocks';

const source = [
  "import { task } from '../../lib/index.node.js';",
  '',
  'async function hitSection(): Promise<void> {',
  '  // #region hit',
  '  const a = task({ name: "a" }, () => 1);',
  '',
  '  // #region inner',
  '  if (a) {',
  '    console.log(await a());',
  '  }',
  '  // #endregion inner',
  '  // #endregion hit',
  '}',
  '',
  'async function missSection(): Promise<void> {',
  '  // #region miss',
  '  console.log(2);',
  '  // #endregion miss',
  '}',
  '// #region imports',
  "import { flow } from '../../lib/index.node.js';",
  '// #endregion imports',
].join('\n');

describe('extractRegions', () => {
  it('should give each region without its common indentation and the marker lines inside it', () => {
    const regions = extractRegions('x.ts', source);
    expect([...regions.keys()].sort()).toEqual(['hit', 'imports', 'inner', 'miss']);
    expect(regions.get('hit')).toBe(
      ['const a = task({ name: "a" }, () => 1);', '', 'if (a) {', '  console.log(await a());', '}'].join(
        '\n',
      ),
    );
    expect(regions.get('inner')).toBe(['if (a) {', '  console.log(await a());', '}'].join('\n'));
    expect(regions.get('imports')).toBe("import { flow } from 'rxflow';");
  });

  it('should refuse malformed regions, naming the file and line', () => {
    expect(() => extractRegions('x.ts', '// #region a\nx;')).toThrow("x.ts:1: region 'a' is not closed");
    expect(() =>
      extractRegions('x.ts', '// #region a\n// #endregion a\n// #region a\n// #endregion a'),
    ).toThrow("x.ts:3: region 'a' is defined twice");
    expect(() => extractRegions('x.ts', 'x;\n// #endregion b')).toThrow(
      'x.ts:2: #endregion b has no #region',
    );
    expect(() => extractRegions('x.ts', '// #region a\n// #endregion')).toThrow(
      'x.ts:2: #endregion must name its region',
    );
  });
});

describe('guideBlocks', () => {
  const guide = [
    '<!-- source: examples/docs/x.ts -->',
    '',
    '<!-- region: hit -->',
    '```ts',
    'const a = 1;',
    '```',
    '',
    '```ts',
    'unmarked();',
    '```',
    '<!-- output excerpt: examples/docs/x.ts -->',
    '```text',
    '1',
    '```',
    '```text',
    'a diagram',
    '```',
  ].join('\n');

  it('should tie each block to the markers above it', () => {
    expect(guideBlocks(guide)).toEqual([
      {
        line: 4,
        lang: 'ts',
        text: 'const a = 1;',
        file: 'examples/docs/x.ts',
        region: 'hit',
        output: undefined,
      },
      {
        line: 8,
        lang: 'ts',
        text: 'unmarked();',
        file: 'examples/docs/x.ts',
        region: undefined,
        output: undefined,
      },
      { line: 12, lang: 'text', text: '1', file: 'examples/docs/x.ts', region: undefined, output: 'excerpt' },
      { line: 15, lang: 'text', text: 'a diagram', file: undefined, region: undefined, output: undefined },
    ]);
  });

  it('should show a block that quotes more than its region as different from it', () => {
    // What the former check let through: text that exists in the file, but is not the section.
    const regions = extractRegions('x.ts', source);
    const [block] = guideBlocks(
      [
        '<!-- source: examples/docs/x.ts -->',
        '<!-- region: miss -->',
        '```ts',
        source.split('\n').slice(4, 19).join('\n'),
        '```',
      ].join('\n'),
    );
    expect(block!.text).not.toBe(regions.get('miss'));
  });
});

describe('matchesOutput', () => {
  const stdout = 'a-001 Pending\na-001 Running\nb-002 Pending\nb-002 Completed\ndone\n';

  it('should compare a whole output exactly, trailing spaces aside', () => {
    expect(
      matchesOutput('a-001 Pending  \na-001 Running\nb-002 Pending\nb-002 Completed\ndone', stdout, 'whole'),
    ).toBe(true);
    expect(
      matchesOutput('a-002 Pending\na-002 Running\nb-003 Pending\nb-003 Completed\ndone', stdout, 'whole'),
    ).toBe(false);
    expect(matchesOutput('a-001 Pending\na-001 Running', stdout, 'whole')).toBe(false);
  });

  it('should find an excerpt as consecutive lines, with … for any number of lines', () => {
    expect(matchesOutput('a-001 Running\nb-002 Pending', stdout, 'excerpt')).toBe(true);
    expect(matchesOutput('a-001 Pending\nb-002 Pending', stdout, 'excerpt')).toBe(false);
    expect(matchesOutput('a-001 Pending\n…   (more)\nb-002 Completed\ndone', stdout, 'excerpt')).toBe(true);
    expect(matchesOutput('b-002 Pending\n…\na-001 Running', stdout, 'excerpt')).toBe(false);
  });
});
