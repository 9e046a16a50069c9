import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { reportBadges } from './badges.ts';
import type { Cell } from './cells.ts';
import { renderHtml, type CellLinks } from './html.ts';
import { renderMarkdown, type MatrixReport, type TestCounts } from './report.ts';

/** Per-cell limit of the local runner (`--cell-timeout`). */
export const DEFAULT_CELL_TIMEOUT_MS = 45 * 60_000;

/** Where the local runner writes, under the reports directory. */
export function matrixPaths(reportsDir = 'reports') {
  const dir = join(reportsDir, 'matrix');
  return {
    reportsDir,
    dir,
    state: join(dir, 'state.json'),
    markdown: join(reportsDir, 'matrix.md'),
    timings: join(reportsDir, 'matrix-timings.md'),
    json: join(reportsDir, 'matrix.json'),
    html: join(reportsDir, 'matrix.html'),
    badges: join(dir, 'badges'),
    outcomes: (c: Cell) => join(dir, `${c.id}.jsonl`),
    log: (c: Cell) => join(dir, `${c.id}.log`),
    vitestJson: (c: Cell) => join(dir, `${c.id}.vitest.json`),
    /** A cell's own reports folder: its evidence (NETREPRO_REPORTS) and its Vitest HTML report. */
    cellReports: (c: Cell) => join(dir, c.id),
    cellHtml: (c: Cell) => join(dir, c.id, 'html', 'index.html'),
    linksOf: (cellId: string): CellLinks => ({ log: join(dir, `${cellId}.log`), html: join(dir, cellId, 'html', 'index.html') }),
  };
}
export type MatrixPaths = ReturnType<typeof matrixPaths>;

/** Vitest's JSON report counts, if the child got far enough to write one. */
export function readTestCounts(path: string): TestCounts | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const j = JSON.parse(readFileSync(path, 'utf8')) as Record<string, number>;
    return { passed: j.numPassedTests ?? 0, failed: j.numFailedTests ?? 0, skipped: (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0) };
  } catch {
    return undefined;
  }
}

/**
 * Writes matrix.md, matrix.json, matrix.html (when asked) and one shields.io
 * endpoint JSON per badge (the badges folder is replaced). Links in the page
 * point only at files that exist.
 */
export function writeReport(report: MatrixReport, to: { markdown: string; json: string; badges: string; html?: string; linksOf?: (cellId: string) => CellLinks }): void {
  for (const f of [to.markdown, to.json]) mkdirSync(dirname(f), { recursive: true });
  writeFileSync(to.markdown, renderMarkdown(report));
  if (to.html) {
    const linksOf = (id: string): CellLinks => {
      const l = to.linksOf?.(id) ?? {};
      return { ...(l.log && existsSync(l.log) ? { log: l.log } : {}), ...(l.html && existsSync(l.html) ? { html: l.html } : {}) };
    };
    writeFileSync(to.html, renderHtml(report, { pageDir: dirname(to.html), linksOf }));
  }
  writeFileSync(to.json, `${JSON.stringify(report, null, 2)}\n`);
  rmSync(to.badges, { recursive: true, force: true });
  mkdirSync(to.badges, { recursive: true });
  for (const [name, badge] of Object.entries(reportBadges(report))) writeFileSync(join(to.badges, name), `${JSON.stringify(badge)}\n`);
}
