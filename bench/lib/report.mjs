// Turns measurements into the printed tables and the rows of results.json.

const round = (x, digits) => (x === null || x === undefined ? null : Number(x.toFixed(digits)));

/** Microseconds with about three significant digits. */
export const fmtUs = (us) =>
  us < 1 ? us.toFixed(3) : us < 10 ? us.toFixed(2) : us < 100 ? us.toFixed(1) : us.toFixed(0);
const fmtRatio = (r) =>
  r === null || r === undefined
    ? '–'
    : r < 1
      ? r.toPrecision(2)
      : r < 10
        ? r.toFixed(2)
        : r < 100
          ? r.toFixed(1)
          : r.toFixed(0);
const fmtMB = (mb) => mb.toFixed(1);
const fmtCount = (n) =>
  n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 1e3 === 0 ? `${n / 1e3}k` : String(n);
const fmtMaybeUs = (us) => (us === undefined || us === null ? '–' : fmtUs(us));

/**
 * The two sets of timed passes: after a forced full GC each (`medianUs` …, the method's figures),
 * and without any forced GC (`medianUsNoGc` …). A row's `view` under a set has that set's figures
 * under the plain names, so goals and ratios read `medianUs` either way; `undefined` if the row
 * has no figures of that set (not measured, or an older results file).
 */
export const PASS_SETS = [
  { key: 'gc', label: 'forced GC', suffix: '' },
  { key: 'noGc', label: 'no forced GC', suffix: 'NoGc' },
];
const FIGURES = ['medianUs', 'minUs', 'maxUs', 'cpuMedianUs', 'ratioToRaw', 'ratioToRxflow'];

export function view(row, set) {
  if (row.figures !== undefined) return row; // a measure scenario's row: the same under every set
  if (row.error || typeof row[`medianUs${set.suffix}`] !== 'number') return undefined;
  if (set.suffix === '') return row;
  const out = { ...row };
  for (const f of FIGURES) out[f] = row[f + set.suffix];
  return out;
}

/** A plain-text table; columns listed in `right` are right-aligned. */
export function table(headers, rows, right = new Set()) {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells) =>
    cells
      .map((cell, c) => (right.has(c) ? String(cell).padStart(widths[c]) : String(cell).padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The measured row a ratio is taken against: same scenario and N if there is one, else the first. */
function baseline(rows, variant, row) {
  const same = rows.filter((r) => r.variant === variant && !r.error);
  return same.find((r) => r.n === row.n) ?? same[0];
}

/** Adds `ratioToRaw`, `ratioToRxflow` (and their `…NoGc` twins) to each successful row of one scenario. */
export function withRatios(rows) {
  return rows.map((row) => {
    if (row.error) return row;
    const out = { ...row };
    for (const { suffix } of PASS_SETS) {
      const median = row[`medianUs${suffix}`];
      if (typeof median !== 'number') continue;
      for (const [name, variant] of [
        ['ratioToRaw', 'raw'],
        ['ratioToRxflow', 'rxflow'],
      ]) {
        const unit = baseline(rows, variant, row)?.[`medianUs${suffix}`];
        out[name + suffix] = typeof unit === 'number' ? median / unit : null;
      }
    }
    return out;
  });
}

/** The mark a noted row gets after its variant name, and before its note below the table. */
const NOTE_MARK = '†';
const label = (r) => (r.note ? `${r.variant} ${NOTE_MARK}` : r.variant);

/** "3.1× faster than p-retry, 1.4× slower than rxjs" for the rxflow row of a scenario, under one set. */
function rxflowSummary(rows, set) {
  const views = rows.map((r) => view(r, set)).filter(Boolean);
  const rxflow = views.find((r) => r.variant === 'rxflow');
  if (!rxflow) return undefined;
  const parts = views
    .filter((r) => r !== rxflow && r.variant !== 'rxflow')
    .map((r) => {
      const ratio = r.medianUs / rxflow.medianUs;
      return ratio >= 1
        ? `${fmtRatio(ratio)}× faster than ${label(r)}`
        : `${fmtRatio(1 / ratio)}× slower than ${label(r)}`;
    });
  return parts.length ? `${set.label}: rxflow is ${parts.join(', ')}` : undefined;
}

/** Rows keyed by variant, failed ones (and, under a set, those without its figures) left out. */
export const byVariant = (rows, set = PASS_SETS[0]) =>
  Object.fromEntries(
    rows
      .map((r) => view(r, set))
      .filter(Boolean)
      .map((r) => [r.variant, r]),
  );

const fmtValue = (value, unit) =>
  unit === '×' ? `${fmtRatio(value)}×` : unit === 'µs' ? `${fmtUs(value)} µs` : `${value.toFixed(1)} ${unit}`;

/**
 * Each goal of the scenario, under each set of passes: `met`, `missed` or `n/a` (when a variant it
 * compares was not run), with the measured value when the goal declares one.
 * A goal is `{ text, value(v, others), unit, max? , min? }` (met when the value is within the
 * bounds) or `{ text, check(v, others) }`; `v` is the scenario's rows by variant and `others(id)`
 * another scenario's (B1 to A2), both under the set being checked. The `others` argument here
 * gives another scenario's rows as a list.
 */
export function checkGoals(scenario, rows, others = () => []) {
  return (scenario.goals ?? []).map((goal) => {
    const result = { text: goal.text };
    for (const set of PASS_SETS) {
      const own = byVariant(rows, set);
      const othersUnder = (id) => byVariant(others(id), set);
      let status;
      let value;
      try {
        if (goal.value) {
          value = goal.value(own, othersUnder);
          if (typeof value !== 'number' || Number.isNaN(value)) throw new Error('no value');
          status =
            (goal.max === undefined || value <= goal.max) && (goal.min === undefined || value >= goal.min);
        } else {
          status = goal.check(own, othersUnder);
        }
        status = status ? 'met' : 'missed';
      } catch {
        status = 'n/a';
        value = undefined;
      }
      result[set.key] = {
        status,
        ...(value === undefined ? {} : { value, shown: fmtValue(value, goal.unit) }),
      };
    }
    return result;
  });
}

const MARK = { met: '✓', missed: '✗', 'n/a': '–' };

/** "✓ 2.73 µs" */
const fmtOutcome = (o) => (o.shown ? `${MARK[o.status]} ${o.shown}` : MARK[o.status]);

/** The printed section of one scenario: its table, memory samples if any, rxflow's ratios and goals. */
export function renderScenario(scenario, title, rows, others) {
  const out = [`${scenario.id}  ${title}`, ''];
  if (scenario.kind === 'measure') {
    out.push(...scenario.render(rows));
    const goals = checkGoals(scenario, rows, others);
    if (goals.length > 0) out.push('', 'goals:', ...goals.map((g) => `  ${fmtOutcome(g.gc)}  ${g.text}`));
    return out.join('\n');
  }
  const body = rows.map((r) =>
    r.error
      ? [label(r), fmtCount(r.n), 'ERROR', '', '', '', '', '', '', '', '']
      : [
          label(r),
          fmtCount(r.n),
          fmtMaybeUs(r.medianUs),
          r.minUs === undefined ? '–' : `${fmtUs(r.minUs)}–${fmtUs(r.maxUs)}`,
          fmtMaybeUs(r.cpuMedianUs),
          fmtRatio(r.ratioToRaw),
          fmtRatio(r.ratioToRxflow),
          fmtMaybeUs(r.medianUsNoGc),
          fmtRatio(r.ratioToRawNoGc),
          fmtMB(r.heapGrowthMB),
          fmtMB(r.peakRssMB),
        ],
  );
  const headers = [
    'variant',
    'n',
    'µs/op',
    'min–max',
    'cpu µs/op',
    '×raw',
    '×rxflow',
    'no-GC µs/op',
    'no-GC ×raw',
    'heap Δ MB',
    'peak RSS MB',
  ];
  out.push(table(headers, body, new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])));
  for (const r of rows.filter((row) => row.note)) out.push(`${NOTE_MARK} ${r.variant}: ${r.note}`);

  const sampled = rows.filter((r) => !r.error && r.samples?.length > 0);
  if (sampled.length > 0) {
    const at = sampled[0].samples.map((s) => `@${fmtCount(s.done)}`);
    const memRows = sampled.map((r) => [r.variant, ...r.samples.map((s) => fmtMB(s.rssMB))]);
    const right = new Set(at.map((_, i) => i + 1));
    out.push('', 'RSS MB during the warm-up pass (the first n operations of the process):');
    out.push(table(['variant', ...at], memRows, right));
  }

  const summaries = PASS_SETS.map((set) => rxflowSummary(rows, set)).filter(Boolean);
  if (summaries.length > 0) out.push('', ...summaries);
  for (const r of rows.filter((row) => row.error)) out.push('', `${r.variant} failed:\n${r.error}`);
  const goals = checkGoals(scenario, rows, others);
  if (goals.length > 0) {
    out.push('', `goals (${PASS_SETS.map((s) => s.label).join(' | ')}):`);
    out.push(...goals.map((g) => `  ${PASS_SETS.map((s) => fmtOutcome(g[s.key])).join(' | ')}  ${g.text}`));
  }
  return out.join('\n');
}

/** A goal's entry in results.json. */
export const goalRow = (id, g) => ({
  id,
  text: g.text,
  status: g.gc.status,
  value: round(g.gc.value, 3),
  statusNoGc: g.noGc.status,
  valueNoGc: round(g.noGc.value, 3),
});

/** A row of results.json: exactly the documented fields (the optional ones only when present). */
export const resultRow = (r) => ({
  id: r.id,
  variant: r.variant,
  n: r.n,
  medianUs: round(r.medianUs, 4),
  minUs: round(r.minUs, 4),
  maxUs: round(r.maxUs, 4),
  ratioToRaw: round(r.ratioToRaw, 3),
  medianUsNoGc: round(r.medianUsNoGc, 4),
  minUsNoGc: round(r.minUsNoGc, 4),
  maxUsNoGc: round(r.maxUsNoGc, 4),
  ratioToRawNoGc: round(r.ratioToRawNoGc, 3),
  heapGrowthMB: round(r.heapGrowthMB, 2),
  peakRssMB: round(r.peakRssMB, 1),
  ...(r.samples?.length > 0
    ? { samples: r.samples.map((s) => ({ done: s.done, rssMB: round(s.rssMB, 1) })) }
    : {}),
  ...(r.note ? { note: r.note } : {}),
  ...(r.figures ? { figures: r.figures } : {}),
});
