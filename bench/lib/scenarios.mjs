// Finds the scenario modules and turns their declarations into jobs: one child process per
// scenario × variant × N.
import { readdirSync } from 'node:fs';
import { URL, fileURLToPath, pathToFileURL } from 'node:url';

/**
 * A scenario module (bench/scenarios/*.mjs) default-exports:
 * - `id`, `title`: a string, or `(n) => string` given the scenario's N of the mode (as "100,000")
 * - `n: { full, quick }`: operations per pass (a number, or a list of numbers: one job, and one
 *   result row, per N)
 * - `reps?: { full?, quick? }`: timed passes (default {@link DEFAULT_REPS})
 * - `expected(n)`: the checksum every pass must return
 * - `variants: { [name]: setup | { setup, n?, reps?, note? } }`, where `async setup()` builds the
 *   variant in the child process (importing its library there) and returns `run(n, probe)`,
 *   which does n operations and returns the checksum (see lib/measure.mjs and lib/workload.mjs);
 *   `note` is printed under the table (the row marked †) and kept in the row of results.json
 * - `goals?: [{ text, value(byVariant, others), unit, max?, min? } | { text, check(byVariant, others) }]`,
 *   checked against the rows of each set of passes (forced GC, no forced GC), printed and written to
 *   results.json (never asserted); `others(id)` is another scenario's rows by variant (this run's,
 *   else the results file's). See lib/report.mjs.
 *
 * A scenario with `kind: 'measure'` (F1, F2) measures something other than time per operation: each
 * variant is `async (n) => figures`, run in the harness process (it starts its own processes if it
 * needs fresh ones), `n` optional; `render(rows)` gives its printed lines, and goals read
 * `v.<variant>.figures`.
 */
export const SCENARIO_DIR = fileURLToPath(new URL('../scenarios/', import.meta.url));

export const DEFAULT_REPS = { full: 7, quick: 5 };

export async function loadScenarios() {
  const files = readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.mjs'))
    .sort();
  const scenarios = [];
  for (const file of files) {
    const { default: scenario } = await import(pathToFileURL(SCENARIO_DIR + file).href);
    scenarios.push({ ...scenario, file });
  }
  return scenarios;
}

/** The scenario's title in this mode: its N written out ("100,000") where the title mentions it. */
export function titleOf(scenario, mode) {
  if (typeof scenario.title !== 'function') return scenario.title;
  const n = scenario.n[mode];
  return scenario.title(
    asList(n)
      .map((x) => x.toLocaleString('en-US'))
      .join(' and '),
  );
}

export function loadScenario(file) {
  return import(pathToFileURL(SCENARIO_DIR + file).href).then((m) => m.default);
}

/** A variant's declaration, whether given as a bare setup function or an object. */
export const variantSpec = (scenario, name) => {
  const v = scenario.variants[name];
  if (v === undefined) throw new Error(`scenario ${scenario.id} has no variant '${name}'`);
  return typeof v === 'function' ? { setup: v } : v;
};

const asList = (x) => (Array.isArray(x) ? x : [x]);

/** The jobs of one scenario for the chosen variants, in declaration order. */
export function jobsOf(scenario, variantNames, mode, repsOverride) {
  return variantNames.flatMap((variant) => {
    const spec = variantSpec(scenario, variant);
    const reps = repsOverride ?? spec.reps?.[mode] ?? scenario.reps?.[mode] ?? DEFAULT_REPS[mode];
    return asList(spec.n?.[mode] ?? scenario.n?.[mode] ?? 1).map((n) => ({
      scenario,
      variant,
      n,
      reps,
      note: spec.note,
    }));
  });
}
