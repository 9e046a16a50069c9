// netrepro run <variant> --repeat N: the same project N times on one cluster, and what each case did each time.
import type { OutcomeRecord } from '../../harness/outcome-log.ts';
import type { Outcome } from '../../harness/outcome.ts';

export interface RepeatRow {
  /** story/case, with the label when a test concludes a case more than once. */
  key: string;
  /** The outcome of each run, in order; `—` where the run did not conclude the case. */
  outcomes: Array<Outcome | '—'>;
  /** Runs whose verdict failed (regression, inconclusive, …). */
  failedRuns: number;
  /** More than one outcome among the runs that concluded the case. */
  flaky: boolean;
  /** Share of concluded runs that differ from the most common outcome. */
  flakeRate: number;
  /** Per numeric figure: min, median, max over the runs. */
  spread: Record<string, { min: number; median: number; max: number }>;
}

const keyOf = (r: OutcomeRecord) => `${r.story}/${r.case}${r.label ? ` [${r.label}]` : ''}`;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** One row per case seen in any run, in the order of first appearance. */
export function summarizeRepeats(runs: readonly (readonly OutcomeRecord[])[]): RepeatRow[] {
  const keys = [...new Set(runs.flatMap((run) => run.map(keyOf)))];
  return keys.map((key) => {
    const perRun = runs.map((run) => run.filter((r) => keyOf(r) === key));
    const concluded = perRun.flatMap((rs) => rs.map((r) => r.observed));
    const counts = new Map<Outcome, number>();
    for (const o of concluded) counts.set(o, (counts.get(o) ?? 0) + 1);
    const most = Math.max(0, ...counts.values());
    const figures = new Map<string, number[]>();
    for (const r of perRun.flat()) {
      for (const [name, value] of Object.entries(r.figures ?? {})) if (typeof value === 'number' && Number.isFinite(value)) figures.set(name, [...(figures.get(name) ?? []), value]);
    }
    const spread: RepeatRow['spread'] = {};
    // Only figures every conclusion has: per-pod names (hits:<pod>) change from run to run and say nothing across runs.
    const concludedCount = perRun.flat().length;
    for (const [name, values] of figures) if (values.length === concludedCount) spread[name] = { min: Math.min(...values), median: median(values), max: Math.max(...values) };
    return {
      key,
      outcomes: perRun.map((rs) => rs[0]?.observed ?? '—'),
      failedRuns: perRun.filter((rs) => rs.some((r) => !r.pass)).length,
      flaky: counts.size > 1,
      flakeRate: concluded.length ? (concluded.length - most) / concluded.length : 0,
      spread,
    };
  });
}

const num = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));

/** A Markdown report: one line per case, flaky ones first and marked. */
export function renderRepeats(variant: string, runs: number, rows: readonly RepeatRow[], runExits: readonly number[]): string {
  const ordered = [...rows].sort((a, b) => Number(b.flaky) - Number(a.flaky));
  const out = [
    `# ${variant}: ${runs} run(s)`,
    '',
    `Exit status per run: ${runExits.join(', ')}. Flaky cases: ${rows.filter((r) => r.flaky).length} of ${rows.length}.`,
    '',
    '| case | outcome per run | flaky | flake rate | failed runs | figures (min / median / max) |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of ordered) {
    const figures = Object.entries(r.spread).map(([k, s]) => (s.min === s.max ? `${k} ${num(s.min)}` : `${k} ${num(s.min)} / ${num(s.median)} / ${num(s.max)}`)).join('; ');
    out.push(`| ${r.key} | ${r.outcomes.join(' → ')} | ${r.flaky ? '**FLAKY**' : 'no'} | ${Math.round(r.flakeRate * 100)}% | ${r.failedRuns} | ${figures} |`);
  }
  return `${out.join('\n')}\n`;
}
