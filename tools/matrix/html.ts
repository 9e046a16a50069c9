// reports/matrix.html: the matrix as a page people open. Same data as matrix.md,
// drawn as a story × case × version grid; colour is never the only signal
// (each cell also has a symbol and words), and the palette is Okabe-Ito.
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { PALETTE } from '../../harness/plot/svg.ts';
import { NO_CILIUM } from './cells.ts';
import { entryText, formatDuration, matrixGrid, type CellSummary, type EntryVerdict, type MatrixEntry, type MatrixReport } from './report.ts';

/** Links of one cell: its log and its Vitest HTML report, as paths on disk. */
export interface CellLinks {
  log?: string;
  html?: string;
}

export interface HtmlOptions {
  /** The folder the page is written to: every link is made relative to it. */
  pageDir: string;
  linksOf?: (cellId: string) => CellLinks;
}

/** Symbols any system font has (the Markdown's emoji need an emoji font, which servers often lack). */
const PAGE_SYMBOL: Record<EntryVerdict, string> = {
  'as-expected': '✓',
  'observed-only': '●',
  regression: '✗',
  unexpected: '✗',
  'no-expectation': '✗',
  'fixed-upstream': '?',
  inconclusive: '⚠',
  'no-outcome': '!',
  'not-run': '–',
};

/** Verdict → CSS class; the classes' colours are below, one per group. */
const GROUP: Record<EntryVerdict, 'ok' | 'seen' | 'bad' | 'doubt' | 'none'> = {
  'as-expected': 'ok',
  'observed-only': 'seen',
  regression: 'bad',
  unexpected: 'bad',
  'no-expectation': 'bad',
  'fixed-upstream': 'doubt',
  inconclusive: 'doubt',
  'no-outcome': 'doubt',
  'not-run': 'none',
};

const COLOUR = { ok: PALETTE.green, seen: PALETTE.sky, bad: PALETTE.vermillion, doubt: PALETTE.orange, none: '#dddddd' } as const;

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: ${PALETTE.ink}; }
table { border-collapse: collapse; margin: 12px 0 24px; }
th, td { border: 1px solid #ccc; padding: 4px 8px; vertical-align: top; text-align: left; }
th { background: #f2f2f2; }
td.entry { min-width: 150px; }
td.ok { background: ${COLOUR.ok}22; border-left: 6px solid ${COLOUR.ok}; }
td.seen { background: ${COLOUR.seen}22; border-left: 6px solid ${COLOUR.seen}; }
td.bad { background: ${COLOUR.bad}22; border-left: 6px solid ${COLOUR.bad}; }
td.doubt { background: ${COLOUR.doubt}22; border-left: 6px solid ${COLOUR.doubt}; }
td.none { color: ${PALETTE.grey}; border-left: 6px solid ${COLOUR.none}; }
.legend span { display: inline-block; margin-right: 14px; padding-left: 8px; }
small { color: #555; }
`;

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function link(pageDir: string, target: string | undefined, label: string): string {
  if (!target) return '';
  return `<a href="${escapeHtml(encodeURI(relative(pageDir, target)))}">${escapeHtml(label)}</a>`;
}

function entryCell(e: MatrixEntry | undefined, pageDir: string): string {
  if (!e) return '<td class="entry none">—</td>';
  // A passing test keeps no bundle unless it drew a plot: link only what is on disk.
  const kept = e.evidence.filter((dir) => existsSync(dir));
  const evidence = kept.map((dir, i) => link(pageDir, dir, kept.length > 1 ? `evidence ${i + 1}` : 'evidence')).join(' ');
  const title = e.messages.length ? ` title="${escapeHtml(e.messages.join('\n'))}"` : '';
  return `<td class="entry ${GROUP[e.verdict]}" data-verdict="${e.verdict}"${title}>${escapeHtml(entryText(e, PAGE_SYMBOL))}${evidence ? `<br><small>${evidence}</small>` : ''}</td>`;
}

function cellRow(c: CellSummary, o: HtmlOptions): string {
  const links = o.linksOf?.(c.cell.id) ?? {};
  const tests = c.tests ? `${c.tests.passed} passed, ${c.tests.failed} failed, ${c.tests.skipped} skipped` : '';
  const cases = c.outcomes.total ? `${c.outcomes.asExpected}/${c.outcomes.total} as expected` : '';
  const status = `${c.status}${c.reason ? `: ${c.reason}` : ''}`;
  const files = [link(o.pageDir, links.log, 'log'), link(o.pageDir, links.html, 'test report')].filter(Boolean).join(' · ');
  return `<tr data-cell="${escapeHtml(c.cell.id)}"><td>${escapeHtml(c.cell.id)}</td><td>${escapeHtml(status)}</td><td>${tests}</td><td>${cases}</td><td>${c.durationMs !== undefined ? formatDuration(c.durationMs) : ''}</td><td>${files}</td></tr>`;
}

export function renderHtml(report: MatrixReport, o: HtmlOptions): string {
  const { versions, rows } = matrixGrid(report);
  const head = versions.map((v) => `<th>${v === NO_CILIUM ? 'no Cilium' : `Cilium ${escapeHtml(v)}`}</th>`).join('');
  const grid = rows.map(
    (r) => `<tr><th scope="row">${escapeHtml(r.story)}</th><td>${escapeHtml(r.case)}</td><td>${escapeHtml(r.variant)}</td>${versions.map((v) => entryCell(r.byVersion.get(v), o.pageDir)).join('')}</tr>`,
  );
  const t = report.totals;
  const counts = (m: Record<string, number | undefined>) => Object.entries(m).map(([k, n]) => `${n} ${k}`).join(', ') || 'none';
  const legend = (Object.keys(GROUP) as EntryVerdict[]).map((v) => `<span style="border-left: 6px solid ${COLOUR[GROUP[v]]}">${PAGE_SYMBOL[v]} ${v}</span>`);
  const problems = report.problems.length ? `<h2>Problems reading the results</h2><ul>${report.problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>netrepro matrix</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>${STYLE}</style></head>
<body>
<h1>netrepro matrix</h1>
<p id="summary">${t.cells} cell(s): ${escapeHtml(counts(t.byStatus))}; story cases: ${escapeHtml(counts(t.byVerdict))}; total cell time ${formatDuration(t.durationMs)}. Generated ${escapeHtml(report.generatedAt)}.</p>
<h2>Story × Cilium version</h2>
<table id="grid"><thead><tr><th>story</th><th>case</th><th>variant</th>${head}</tr></thead><tbody>
${grid.join('\n')}
</tbody></table>
<p class="legend">${legend.join('')}</p>
<h2>Cells</h2>
<table id="cells"><thead><tr><th>cell</th><th>status</th><th>tests</th><th>story cases</th><th>duration</th><th>files</th></tr></thead><tbody>
${report.cells.map((c) => cellRow(c, o)).join('\n')}
</tbody></table>
${problems}
</body></html>
`;
}

