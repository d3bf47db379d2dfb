/**
 * Typed parameters: a flow whose single argument is parsed by a zod schema.
 *
 * - The schema types the call (`dailyReport({ region: 'eu', day: ... })`) and the body's
 *   argument (the parsed output, defaults applied, `day` coerced to a Date).
 * - `flowRunName` / `taskRunName` templates refer to parameters by name; after a colon comes a
 *   date-fns format: `'report-{region}-{day:yyyy-MM-dd}'`.
 * - Arguments that do not parse end the run FAILED before the body runs, and the call rejects
 *   with a `ParameterValidationError` listing every issue.
 *
 * Run it with `npx tsx examples/typed-parameters.ts`.
 */
import { lastValueFrom, map, toArray } from 'rxjs';
import { z } from 'zod';
import { flow, getRunContext, isParameterValidationError, task } from '../lib/index.node.js';

const ReportParameters = z.object({
  region: z.enum(['eu', 'us', 'apac']),
  day: z.coerce.date({ error: 'expected a date such as 2024-06-03' }),
  limit: z.number().int().positive().default(10),
  dryRun: z.boolean().default(false),
});

const render = task(
  { name: 'render', taskRunName: 'render-{region}-{day:EEE d MMM}' },
  (region: string, day: Date, limit: number) => {
    console.log(`  task run name:  ${getRunContext().taskRun?.name}`);
    return `top ${limit} products in ${region} on ${day.toDateString()}`;
  },
);

let bodyCalls = 0;
const dailyReport = flow(
  {
    name: 'daily-report',
    parameters: ReportParameters,
    flowRunName: 'report-{region}-{day:yyyy-MM-dd}-{day:EEEE}',
  },
  async ({ region, day, limit, dryRun }) => {
    bodyCalls++;
    const { flowRun, parameters } = getRunContext();
    console.log(`  flow run name:  ${flowRun?.name}`);
    console.log(`  parameters:     ${JSON.stringify(parameters)}`);
    const text = await render(region, day, limit);
    return dryRun ? `(dry run) ${text}` : text;
  },
);

async function main(): Promise<void> {
  console.log('1. valid parameters (limit and dryRun take their defaults)');
  // A local time without a zone, so the day is the same in every time zone.
  const report = await dailyReport({ region: 'eu', day: '2024-06-03T12:00:00' });
  console.log(`  result:         ${report}`);

  // The schema types the call: this line does not compile.
  // @ts-expect-error 'mars' is not a region
  void dailyReport.run$({ region: 'mars', day: new Date() });

  console.log('2. invalid parameters, as they might arrive from a CLI or a queue');
  const untrusted: unknown = JSON.parse('{"region":"mars","day":"someday","limit":-1}');
  const error = await dailyReport(untrusted as z.input<typeof ReportParameters>).catch((e: unknown) => e);
  if (!isParameterValidationError(error)) throw new Error('expected a ParameterValidationError');
  console.log(`  ${error.name}: ${error.message.split('\n').join('\n  ')}`);
  console.log(`  issues:         ${error.issues.map((i) => i.path.join('.')).join(', ')}`);
  const names = await lastValueFrom(
    dailyReport.run$(untrusted as z.input<typeof ReportParameters>).pipe(
      map((s) => s.name),
      toArray(),
    ),
  );
  console.log(`  states:         ${names.join(' → ')}`);
  console.log(`  body calls:     ${bodyCalls} (only the valid run reached the body)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
