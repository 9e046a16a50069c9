import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UserError } from '../../config/errors.ts';
import type { OutcomeRecord } from '../../harness/outcome-log.ts';
import type { Cell } from './cells.ts';
import { readOutcomes, recordCellId } from './outcomes.ts';
import type { CellRun, CellStatus, TestCounts } from './report.ts';

/** What one CI job leaves in its `reports/` artifact besides the outcome log. */
export const CELL_RESULT_FILE = 'cell.json';

export interface CellResultFile {
  cell: string;
  status: CellStatus;
  durationMs?: number;
  tests?: TestCounts;
  reason?: string;
}

/** GitHub's `steps.<id>.outcome` → the matrix's cell status. */
export function statusFromStepOutcome(outcome: string): CellStatus {
  switch (outcome) {
    case 'success':
      return 'passed';
    case 'failure':
      return 'failed';
    case 'cancelled':
      return 'interrupted';
    case 'skipped':
      return 'not-run';
    default:
      throw new UserError(`unknown step outcome "${outcome}": expected success, failure, cancelled or skipped`);
  }
}

export function cellResult(cell: Cell, outcome: string, startedAtMs: number | undefined, tests: TestCounts | undefined, now = Date.now()): CellResultFile {
  const status = statusFromStepOutcome(outcome);
  return {
    cell: cell.id,
    status,
    ...(startedAtMs !== undefined && Number.isFinite(startedAtMs) ? { durationMs: Math.max(0, now - startedAtMs) } : {}),
    ...(tests ? { tests } : {}),
    ...(status === 'interrupted' ? { reason: 'job cancelled or timed out' } : {}),
  };
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/**
 * Gathers what the e2e jobs uploaded (one folder per artifact, each with a
 * `cell.json` and an `outcomes.jsonl`) into cell runs and records. Every
 * cell in `expected` appears: a cell whose job uploaded nothing is a failed
 * cell with the reason said.
 */
export function collectArtifacts(dir: string, expected: readonly Cell[]): { runs: CellRun[]; records: OutcomeRecord[]; problems: string[] } {
  const files = walk(dir);
  const problems: string[] = [];
  const results = new Map<string, CellResultFile>();
  for (const f of files.filter((p) => basename(p) === CELL_RESULT_FILE)) {
    try {
      const r = JSON.parse(readFileSync(f, 'utf8')) as CellResultFile;
      results.set(r.cell, r);
    } catch (e) {
      problems.push(`${f}: ${(e as Error).message}`);
    }
  }
  const records: OutcomeRecord[] = [];
  for (const f of files.filter((p) => p.endsWith('.jsonl'))) {
    const parsed = readOutcomes(f);
    records.push(...parsed.records);
    problems.push(...parsed.problems);
  }
  const seen = new Set(records.map(recordCellId));
  const runs = expected.map((cell): CellRun => {
    const r = results.get(cell.id);
    if (r) {
      return {
        cell,
        status: r.status,
        ...(r.durationMs !== undefined ? { durationMs: r.durationMs } : {}),
        ...(r.tests ? { tests: r.tests } : {}),
        ...(r.reason ? { reason: r.reason } : {}),
      };
    }
    return { cell, status: 'failed', reason: seen.has(cell.id) ? 'no cell.json uploaded' : 'no results uploaded (job failed before upload or was cancelled)' };
  });
  return { runs, records, problems };
}
