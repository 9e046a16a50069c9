import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Cell } from './cells.ts';
import type { CellRun, CellStatus, TestCounts } from './report.ts';

/** What the local runner remembers about one cell between invocations. */
export interface CellState {
  /** 'running' survives only an interrupted run: the next run starts that cell again. */
  status: CellStatus | 'running';
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  exitCode?: number | null;
  reason?: string;
  tests?: TestCounts;
}

export interface MatrixState {
  version: 1;
  /** Hash of pins.json: results of other pins are not resumed. */
  pinsKey: string;
  createdAt: string;
  cells: Record<string, CellState>;
}

/** A cell in one of these states is not run again unless selected with `--fresh`. */
const FINISHED: ReadonlyArray<CellState['status']> = ['passed', 'failed', 'timeout'];
export const isFinished = (s: CellState | undefined) => s !== undefined && FINISHED.includes(s.status);

export const pinsKeyOf = (pinsText: string) => createHash('sha256').update(pinsText).digest('hex').slice(0, 16);

export const emptyState = (pinsKey: string, now = new Date()): MatrixState => ({ version: 1, pinsKey, createdAt: now.toISOString(), cells: {} });

/**
 * Reads the state file. A missing, unreadable or other-pins state gives an
 * empty state and a note saying why the run starts over.
 */
export function loadState(path: string, pinsKey: string): { state: MatrixState; note?: string } {
  if (!existsSync(path)) return { state: emptyState(pinsKey) };
  let parsed: MatrixState;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as MatrixState;
  } catch (e) {
    return { state: emptyState(pinsKey), note: `${path} is not JSON (${(e as Error).message}): starting over` };
  }
  if (parsed.version !== 1 || typeof parsed.cells !== 'object' || parsed.cells === null) {
    return { state: emptyState(pinsKey), note: `${path} has an unknown format: starting over` };
  }
  if (parsed.pinsKey !== pinsKey) return { state: emptyState(pinsKey), note: `pins.json changed since ${path} was written: starting over` };
  return { state: parsed };
}

/** Writes the state atomically (temp file, then rename), so an interrupt never leaves half a file. */
export function saveState(path: string, state: MatrixState): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, path);
}

/** Splits the selected cells into those to run now and those a previous run finished. */
export function planCells(cells: readonly Cell[], state: MatrixState): { run: Cell[]; finished: Cell[] } {
  const run: Cell[] = [];
  const finished: Cell[] = [];
  for (const c of cells) (isFinished(state.cells[c.id]) ? finished : run).push(c);
  return { run, finished };
}

/**
 * The cells a report covers: every cell of the matrix the state knows about
 * (finished earlier or in this run), then the selected ones not reached yet.
 */
export function cellRunsFromState(all: readonly Cell[], selected: readonly Cell[], state: MatrixState): CellRun[] {
  const wanted = new Set(selected.map((c) => c.id));
  return all
    .filter((c) => wanted.has(c.id) || state.cells[c.id] !== undefined)
    .map((cell): CellRun => {
      const s = state.cells[cell.id];
      if (!s) return { cell, status: 'not-run' };
      const status: CellStatus = s.status === 'running' ? 'interrupted' : s.status;
      return {
        cell,
        status,
        ...(s.durationMs !== undefined ? { durationMs: s.durationMs } : {}),
        ...(s.exitCode !== undefined ? { exitCode: s.exitCode } : {}),
        ...(s.reason ? { reason: s.reason } : {}),
        ...(s.tests ? { tests: s.tests } : {}),
      };
    });
}
