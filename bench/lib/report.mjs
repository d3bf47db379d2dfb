// Turns measurements into the printed tables and the rows of results.json.

const round = (x, digits) => (x === null ? null : Number(x.toFixed(digits)));

/** Microseconds with about three significant digits. */
export const fmtUs = (us) =>
  us < 1 ? us.toFixed(3) : us < 10 ? us.toFixed(2) : us < 100 ? us.toFixed(1) : us.toFixed(0);
const fmtRatio = (r) =>
  r === null ? '–' : r < 1 ? r.toPrecision(2) : r < 10 ? r.toFixed(2) : r < 100 ? r.toFixed(1) : r.toFixed(0);
const fmtMB = (mb) => mb.toFixed(1);
const fmtCount = (n) =>
  n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 1e3 === 0 ? `${n / 1e3}k` : String(n);

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
  const same = rows.filter((r) => r.variant === variant);
  return same.find((r) => r.n === row.n) ?? same[0];
}

/** Adds `ratioToRaw` and `ratioToRxflow` to each successful row of one scenario. */
export function withRatios(rows) {
  return rows.map((row) => {
    if (row.error) return row;
    const raw = baseline(rows, 'raw', row);
    const rxflow = baseline(rows, 'rxflow', row);
    return {
      ...row,
      ratioToRaw: raw && !raw.error ? row.medianUs / raw.medianUs : null,
      ratioToRxflow: rxflow && !rxflow.error ? row.medianUs / rxflow.medianUs : null,
    };
  });
}

/** "3.1× faster than p-retry, 1.4× slower than rxjs" for the rxflow row of a scenario. */
function rxflowSummary(rows) {
  const rxflow = rows.find((r) => r.variant === 'rxflow' && !r.error);
  if (!rxflow) return undefined;
  const parts = rows
    .filter((r) => r !== rxflow && !r.error && r.variant !== 'rxflow')
    .map((r) => {
      const ratio = r.medianUs / rxflow.medianUs;
      return ratio >= 1
        ? `${fmtRatio(ratio)}× faster than ${r.variant}`
        : `${fmtRatio(1 / ratio)}× slower than ${r.variant}`;
    });
  return parts.length ? `rxflow is ${parts.join(', ')}` : undefined;
}

/** Rows keyed by variant, failed ones left out. */
export const byVariant = (rows) =>
  Object.fromEntries(rows.filter((r) => !r.error).map((r) => [r.variant, r]));

/**
 * Each goal of the scenario as ✓, ✗ or n/a (when a variant it compares was not run).
 * `others(id)` gives another scenario's rows by variant, for goals relative to it (B1 to A2).
 */
export function checkGoals(scenario, rows, others = () => ({})) {
  const own = byVariant(rows);
  return (scenario.goals ?? []).map(({ text, check }) => {
    let status;
    try {
      status = check(own, others) ? 'met' : 'missed';
    } catch {
      status = 'n/a';
    }
    return { text, status };
  });
}

const MARK = { met: '✓', missed: '✗', 'n/a': '–' };

/** The printed section of one scenario: its table, memory samples if any, rxflow's ratios and goals. */
export function renderScenario(scenario, rows, others) {
  const out = [`${scenario.id}  ${scenario.title}`, ''];
  const body = rows.map((r) =>
    r.error
      ? [r.variant, fmtCount(r.n), 'ERROR', '', '', '', '', '', '']
      : [
          r.variant,
          fmtCount(r.n),
          fmtUs(r.medianUs),
          `${fmtUs(r.minUs)}–${fmtUs(r.maxUs)}`,
          fmtUs(r.cpuMedianUs),
          fmtRatio(r.ratioToRaw),
          fmtRatio(r.ratioToRxflow),
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
    'heap Δ MB',
    'peak RSS MB',
  ];
  out.push(table(headers, body, new Set([1, 2, 3, 4, 5, 6, 7, 8])));

  const sampled = rows.filter((r) => !r.error && r.samples.length > 0);
  if (sampled.length > 0) {
    const at = sampled[0].samples.map((s) => `@${fmtCount(s.done)}`);
    const memRows = sampled.map((r) => [r.variant, ...r.samples.map((s) => fmtMB(s.rssMB))]);
    const right = new Set(at.map((_, i) => i + 1));
    out.push('', 'RSS MB during the warm-up pass (the first n operations of the process):');
    out.push(table(['variant', ...at], memRows, right));
  }

  const summary = rxflowSummary(rows);
  if (summary) out.push('', summary);
  for (const r of rows.filter((row) => row.error)) out.push('', `${r.variant} failed:\n${r.error}`);
  const goals = checkGoals(scenario, rows, others);
  if (goals.length > 0) out.push('', ...goals.map((g) => `goal ${MARK[g.status]} ${g.text}`));
  return out.join('\n');
}

/** A row of results.json: exactly the documented fields. */
export const resultRow = (r) => ({
  id: r.id,
  variant: r.variant,
  n: r.n,
  medianUs: round(r.medianUs, 4),
  minUs: round(r.minUs, 4),
  maxUs: round(r.maxUs, 4),
  ratioToRaw: round(r.ratioToRaw, 3),
  heapGrowthMB: round(r.heapGrowthMB, 2),
  peakRssMB: round(r.peakRssMB, 1),
});
