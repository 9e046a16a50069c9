import semver from 'semver';
import type { VariantName } from '../../clusters/types.ts';
import { formatDuration } from '../../harness/duration.ts';
import { STORIES } from '../../stories/index.ts';
import type { Expected } from '../../harness/expectations.ts';
import type { Outcome } from '../../harness/outcome.ts';
import type { OutcomeRecord } from '../../harness/outcome-log.ts';
import type { Verdict } from '../../harness/verdict.ts';
import { cellExpectations, NO_CILIUM, type Cell } from './cells.ts';
import { recordCellId } from './outcomes.ts';

/** How one cell's run ended. */
export type CellStatus = 'passed' | 'failed' | 'timeout' | 'skipped' | 'interrupted' | 'not-run';

/** Vitest's own count of tests in a cell (a test may conclude several story cases, or none). */
export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
}

export interface CellRun {
  cell: Cell;
  status: CellStatus;
  durationMs?: number;
  exitCode?: number | null;
  /** Why a cell was skipped, timed out or failed before its tests ran. */
  reason?: string;
  tests?: TestCounts;
}

/**
 * What one (story, case) came to in one cell. `verdict` is the worst verdict
 * among the cell's records of it, or says why there are none:
 * `no-outcome` (the cell failed before concluding it) or `not-run` (skipped).
 */
export type EntryVerdict = Verdict['kind'] | 'no-outcome' | 'not-run';

export interface MatrixEntry {
  cell: string;
  story: string;
  case: string;
  variant: VariantName;
  cilium?: string;
  expected: Expected;
  /** The observed outcome; 'mixed' when the cell's runs of this case disagree. */
  observed?: Outcome | 'mixed';
  /** How often each outcome was observed (a case can run in several flavours). */
  observedCounts: Partial<Record<Outcome, number>>;
  verdict: EntryVerdict;
  pass: boolean;
  messages: string[];
  /** Evidence folders of the records behind this entry (plots always, the rest when a test failed). */
  evidence: string[];
}

export interface CellSummary extends CellRun {
  outcomes: { total: number; asExpected: number; notAsExpected: number };
}

export interface MatrixReport {
  generatedAt: string;
  cells: CellSummary[];
  entries: MatrixEntry[];
  totals: {
    cells: number;
    byStatus: Partial<Record<CellStatus, number>>;
    byVerdict: Partial<Record<EntryVerdict, number>>;
    durationMs: number;
  };
  /** Records that belong to no cell of the report, unreadable lines and the like. */
  problems: string[];
}

/** Worst first: the verdict an entry shows when its runs disagree. */
const SEVERITY: EntryVerdict[] = ['regression', 'unexpected', 'no-expectation', 'fixed-upstream', 'inconclusive', 'no-outcome', 'observed-only', 'as-expected', 'not-run'];
const worst = (verdicts: EntryVerdict[]) => SEVERITY.find((v) => verdicts.includes(v)) ?? 'not-run';

/** Entries in this state make a badge red. */
export const RED: readonly EntryVerdict[] = ['regression', 'unexpected', 'no-expectation'];
/** Entries in this state make a badge yellow (unless something is red). */
export const YELLOW: readonly EntryVerdict[] = ['fixed-upstream', 'inconclusive', 'no-outcome'];

/** Reports list stories in registry order, and a story's cases in its own order. */
const storyOrder = (s: string) => {
  const i = STORIES.findIndex((story) => story.id === s);
  return i < 0 ? STORIES.length : i;
};
const caseOrder = (e: Pick<MatrixEntry, 'story' | 'case'>) => {
  const cases: readonly string[] = STORIES.find((story) => story.id === e.story)?.cases ?? [];
  const i = cases.indexOf(e.case);
  return i < 0 ? cases.length : i;
};

export interface BuildOptions {
  now?: Date;
  problems?: string[];
}

/**
 * Joins cell runs with their outcome records into one entry per
 * (cell, story, case): the cases the expectation table names for the cell and
 * every case a record names. A wildcard row ('*' case) appears only when the
 * cell concluded no case of that story.
 */
export function buildReport(runs: readonly CellRun[], records: readonly OutcomeRecord[], opts: BuildOptions = {}): MatrixReport {
  const problems = [...(opts.problems ?? [])];
  const byCell = new Map<string, OutcomeRecord[]>();
  for (const r of records) {
    const id = recordCellId(r);
    if (!runs.some((run) => run.cell.id === id)) {
      problems.push(`outcome for ${r.story}/${r.case} on ${id} belongs to no cell of this report`);
      continue;
    }
    byCell.set(id, [...(byCell.get(id) ?? []), r]);
  }

  const entries: MatrixEntry[] = [];
  const cells: CellSummary[] = [];
  for (const run of runs) {
    const own = byCell.get(run.cell.id) ?? [];
    const cellEntries = entriesForCell(run, own);
    entries.push(...cellEntries);
    const concluded = cellEntries.filter((e) => e.verdict !== 'not-run' && e.verdict !== 'no-outcome');
    cells.push({
      ...run,
      outcomes: {
        total: concluded.length,
        asExpected: concluded.filter((e) => e.verdict === 'as-expected' || e.verdict === 'observed-only').length,
        notAsExpected: concluded.filter((e) => !e.pass).length,
      },
    });
  }

  const versionKey = (e: MatrixEntry) => e.cilium ?? '999.0.0';
  entries.sort(
    (a, b) =>
      storyOrder(a.story) - storyOrder(b.story) ||
      caseOrder(a) - caseOrder(b) ||
      a.case.localeCompare(b.case) ||
      a.variant.localeCompare(b.variant) ||
      semver.compare(semver.coerce(versionKey(a)) ?? '0.0.0', semver.coerce(versionKey(b)) ?? '0.0.0'),
  );

  const count = <K extends string>(keys: K[]) => keys.reduce<Partial<Record<K, number>>>((acc, k) => ({ ...acc, [k]: (acc[k] ?? 0) + 1 }), {});
  return {
    generatedAt: (opts.now ?? new Date()).toISOString(),
    cells,
    entries,
    totals: {
      cells: runs.length,
      byStatus: count(runs.map((r) => r.status)),
      byVerdict: count(entries.map((e) => e.verdict)),
      durationMs: runs.reduce((sum, r) => sum + (r.durationMs ?? 0), 0),
    },
    problems,
  };
}

function entriesForCell(run: CellRun, records: OutcomeRecord[]): MatrixEntry[] {
  const { cell } = run;
  const keys: Array<{ story: string; case: string; expected: Expected }> = [];
  const has = (story: string, c: string) => keys.some((k) => k.story === story && k.case === c);
  for (const e of cellExpectations(cell)) keys.push({ story: e.story, case: e.case, expected: e.expected });
  for (const r of records) if (!has(r.story, r.case)) keys.push({ story: r.story, case: r.case, expected: r.expected });

  const noRecordVerdict: EntryVerdict = run.status === 'passed' || run.status === 'skipped' || run.status === 'not-run' ? 'not-run' : 'no-outcome';
  return keys.map((k) => {
    const mine = records.filter((r) => r.story === k.story && r.case === k.case);
    const observedCounts: Partial<Record<Outcome, number>> = {};
    for (const r of mine) observedCounts[r.observed] = (observedCounts[r.observed] ?? 0) + 1;
    const kinds = Object.keys(observedCounts) as Outcome[];
    const verdict = mine.length ? worst(mine.map((r) => r.verdict)) : noRecordVerdict;
    const why =
      mine.length === 0
        ? [verdict === 'no-outcome' ? `cell ${run.status}${run.reason ? `: ${run.reason}` : ''} before this case concluded` : run.reason ? `not run: ${run.reason}` : 'not run (skipped or not selected)']
        : mine.filter((r) => !r.pass).map((r) => r.message);
    return {
      cell: cell.id,
      story: k.story,
      case: k.case,
      variant: cell.variant,
      ...(cell.ciliumVersion ? { cilium: cell.ciliumVersion } : {}),
      expected: mine[0]?.expected ?? k.expected,
      ...(kinds.length === 1 ? { observed: kinds[0] } : kinds.length > 1 ? { observed: 'mixed' as const } : {}),
      observedCounts,
      verdict,
      pass: mine.length > 0 ? mine.every((r) => r.pass) : verdict === 'not-run',
      messages: why,
      evidence: [...new Set(mine.flatMap((r) => (r.evidence ? [r.evidence] : [])))],
    };
  });
}

// ---------------------------------------------------------------- Markdown

export { formatDuration };

export const SYMBOL: Record<EntryVerdict, string> = {
  'as-expected': '✅',
  'observed-only': '🔎',
  'no-expectation': '❓',
  regression: '❌',
  unexpected: '❌',
  'fixed-upstream': '🟡',
  inconclusive: '⚠️',
  'no-outcome': '💥',
  'not-run': '⏭️',
};

export const STATUS_SYMBOL: Record<CellStatus, string> = {
  passed: '✅',
  failed: '❌',
  timeout: '⏱️',
  skipped: '⏭️',
  interrupted: '⏸️',
  'not-run': '·',
};

export const cellText = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** One table cell: symbol, what was observed, and the expectation when it differs. */
export function entryText(e: Pick<MatrixEntry, 'verdict' | 'observed' | 'observedCounts' | 'expected'>, symbols: Record<EntryVerdict, string> = SYMBOL): string {
  const sym = symbols[e.verdict];
  if (e.verdict === 'not-run') return `${sym} not run`;
  if (e.verdict === 'no-outcome') return `${sym} no outcome`;
  const counts = Object.entries(e.observedCounts) as Array<[Outcome, number]>;
  const observed =
    e.observed === 'mixed' ? counts.map(([o, n]) => `${o} ×${n}`).join(', ') : `${e.observed}${(counts[0]?.[1] ?? 1) > 1 ? ` ×${counts[0]?.[1]}` : ''}`;
  switch (e.verdict) {
    case 'as-expected':
      return `${sym} ${observed}`;
    case 'observed-only':
      return `${sym} ${observed} (not judged)`;
    case 'fixed-upstream':
      return `${sym} ${observed} (expected ${e.expected}: fixed upstream?)`;
    default:
      return `${sym} ${observed} (expected ${e.expected})`;
  }
}

const LEGEND =
  '✅ as expected · 🔎 observed, expectation unknown · ❓ no expectation row · ❌ regression · 🟡 fixed upstream? · ⚠️ inconclusive · 💥 no outcome (cell failed) · ⏭️ not run';

/** Column of a version in the story × version table ('none' for cells without Cilium). */
export const versionColumn = (cilium?: string) => cilium ?? NO_CILIUM;

export interface GridRow {
  story: string;
  case: string;
  variant: string;
  byVersion: Map<string, MatrixEntry>;
}

/** The story × version grid both renderers draw: version columns in order, one row per (story, case, variant). */
export function matrixGrid(report: MatrixReport): { versions: string[]; rows: GridRow[] } {
  const versions = [...new Set(report.cells.map((c) => versionColumn(c.cell.ciliumVersion)))].sort((a, b) =>
    a === NO_CILIUM ? 1 : b === NO_CILIUM ? -1 : semver.compare(a, b),
  );
  const rows = new Map<string, GridRow>();
  for (const e of report.entries) {
    const key = `${e.story}\u0000${e.case}\u0000${e.variant}`;
    const row = rows.get(key) ?? { story: e.story, case: e.case, variant: e.variant, byVersion: new Map() };
    row.byVersion.set(versionColumn(e.cilium), e);
    rows.set(key, row);
  }
  return { versions, rows: [...rows.values()] };
}

export function renderMarkdown(report: MatrixReport): string {
  const { versions, rows } = matrixGrid(report);
  const head = (v: string) => (v === NO_CILIUM ? 'no Cilium' : `Cilium ${v}`);

  const t = report.totals;
  const verdictLine = Object.entries(t.byVerdict)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  const statusLine = Object.entries(t.byStatus)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  const out: string[] = [
    '# netrepro matrix',
    '',
    `${t.cells} cell(s): ${statusLine || 'none'}; story cases: ${verdictLine || 'none'}; total cell time ${formatDuration(t.durationMs)}.`,
    '',
    '## Story × Cilium version',
    '',
    `| story | case | variant | ${versions.map(head).join(' | ')} |`,
    `|---|---|---|${versions.map(() => '---').join('|')}|`,
  ];
  for (const row of rows) {
    const cols = versions.map((v) => {
      const e = row.byVersion.get(v);
      return e ? cellText(entryText(e)) : '';
    });
    out.push(`| ${row.story} | ${cellText(row.case)} | ${row.variant} | ${cols.join(' | ')} |`);
  }
  out.push('', LEGEND, '', '## Cells', '', '| cell | status | tests | story cases | duration |', '|---|---|---|---|---|');
  for (const c of report.cells) {
    const tests = c.tests ? `${c.tests.passed} passed, ${c.tests.failed} failed, ${c.tests.skipped} skipped` : '';
    const status = `${STATUS_SYMBOL[c.status]} ${c.status}${c.reason ? `: ${c.reason}` : ''}`;
    const cases = c.outcomes.total ? `${c.outcomes.asExpected}/${c.outcomes.total} as expected` : '';
    out.push(`| ${c.cell.id} | ${cellText(status)} | ${tests} | ${cases} | ${c.durationMs !== undefined ? formatDuration(c.durationMs) : ''} |`);
  }
  out.push(`| **total** | | | | ${formatDuration(t.durationMs)} |`);

  const off = report.entries.filter((e) => !e.pass);
  if (off.length) {
    out.push('', '## Not as expected', '');
    for (const e of off) out.push(`- **${e.cell}** ${e.story}/${e.case}: ${cellText(e.messages.join('; ') || e.verdict)}`);
  }
  if (report.problems.length) {
    out.push('', '## Problems reading the results', '');
    for (const p of report.problems) out.push(`- ${cellText(p)}`);
  }
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------- one cell's summary

/**
 * A Markdown table of outcome records, one section per cell: what a CI job
 * appends to $GITHUB_STEP_SUMMARY. Says so when there are none.
 */
export function summarizeOutcomes(records: readonly OutcomeRecord[], opts: { title?: string; problems?: string[] } = {}): string {
  const out: string[] = [];
  if (records.length === 0) {
    out.push(`### ${opts.title ?? 'netrepro'}`, '', 'No story case concluded (no outcome records): see the job log and the `reports` artifact.');
  }
  const cells = [...new Set(records.map(recordCellId))];
  for (const id of cells) {
    const mine = records.filter((r) => recordCellId(r) === id);
    const ok = mine.filter((r) => r.pass).length;
    out.push(`### ${opts.title ?? id}: ${ok}/${mine.length} as expected`, '');
    out.push('| story | case | test | expected | observed | verdict | time |', '|---|---|---|---|---|---|---|');
    for (const r of mine) {
      const verdict = `${SYMBOL[r.verdict]} ${r.verdict}`;
      out.push(
        `| ${r.story} | ${cellText(r.case)} | ${cellText(r.test)} | ${r.expected} | ${r.observed} | ${verdict} | ${formatDuration(r.durationMs ?? 0)} |`,
      );
    }
    const off = mine.filter((r) => !r.pass);
    if (off.length) {
      out.push('');
      for (const r of off) out.push(`- ${r.story}/${r.case}: ${cellText(r.message)}`);
    }
    out.push('');
  }
  for (const p of opts.problems ?? []) out.push(`- ⚠️ ${cellText(p)}`);
  return `${out.join('\n').trimEnd()}\n`;
}
