// The command line of bench/run.mjs.
import { parseArgs } from 'node:util';

export const USAGE = `usage: npm run bench -- [scenario ...] [options]

  scenario          ids to run (A1 a2 ...); default: all
  --quick           small N, 5 reps: the whole suite in a minute or two (CI)
  --variant <name>  only this variant (repeat or comma-separate for more); raw is kept
                    alongside as the unit of the ×raw column
  --reps <k>        timed passes per variant and kind (default 7, 5 with --quick)
  --no-gc           only the timed passes without a forced GC (by default each variant
                    runs both kinds: without forced GC, then each after a forced full GC)
  --forced-gc       only the timed passes after a forced full GC
  --build           run \`npm run build\` first (done anyway when dist/ is missing)
  --out <file>      where to write the results (default bench/results.json,
                    bench/results.quick.json with --quick)
  --list            list scenarios and variants, run nothing
  --help`;

export function parseCommandLine(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      quick: { type: 'boolean', default: false },
      variant: { type: 'string', multiple: true, default: [] },
      reps: { type: 'string' },
      build: { type: 'boolean', default: false },
      'no-gc': { type: 'boolean', default: false },
      'forced-gc': { type: 'boolean', default: false },
      out: { type: 'string' },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const reps = values.reps === undefined ? undefined : Number(values.reps);
  if (reps !== undefined && !(Number.isInteger(reps) && reps >= 1)) {
    throw new Error(`--reps must be a positive integer, got ${values.reps}`);
  }
  if (values['no-gc'] && values['forced-gc']) {
    throw new Error('--no-gc and --forced-gc exclude each other (without either, both kinds of passes run)');
  }
  return {
    mode: values.quick ? 'quick' : 'full',
    passes: values['no-gc'] ? 'no-gc' : values['forced-gc'] ? 'gc' : 'both',
    ids: positionals.flatMap((p) => p.split(',')).map((id) => id.trim().toUpperCase()),
    variants: values.variant.flatMap((v) => v.split(',')).map((v) => v.trim()),
    reps,
    build: values.build,
    out: values.out,
    list: values.list,
    help: values.help,
  };
}
