// The timings table of a local matrix run (timings.ts), read from the run's state, cell logs and Vitest reports.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { PINS_PATH } from '../../config/pins.ts';
import { UserError } from '../../config/errors.ts';
import { readVitestTests, stepTimes } from '../bench/phases.ts';
import type { Cell } from './cells.ts';
import { matrixPaths, type MatrixPaths } from './files.ts';
import { loadState, pinsKeyOf, type MatrixState } from './state.ts';
import { timingsTable, type CellTiming } from './timings.ts';

/** What `timingsTable` needs of each cell the state knows. */
export function readCellTimings(state: MatrixState, cells: readonly Cell[], paths: MatrixPaths): CellTiming[] {
  return cells.flatMap((cell) => {
    const s = state.cells[cell.id];
    if (!s) return [];
    const log = existsSync(paths.log(cell)) ? readFileSync(paths.log(cell), 'utf8') : '';
    return [{ id: cell.id, status: s.status, ...(s.durationMs !== undefined ? { durationMs: s.durationMs } : {}), steps: stepTimes(log), tests: readVitestTests(paths.vitestJson(cell)) }];
  });
}

/** Writes reports/matrix-timings.md and returns the table. */
export function writeTimings(state: MatrixState, cells: readonly Cell[], paths: MatrixPaths): string {
  const table = timingsTable(readCellTimings(state, cells, paths));
  writeFileSync(paths.timings, `${table}\n`);
  return table;
}

/** `npm run matrix -- --timings`: the table of the last local run, printed and written. */
export function printTimings(all: readonly Cell[], selected: readonly Cell[], reportsDir: string): number {
  const paths = matrixPaths(reportsDir);
  const { state, note } = loadState(paths.state, pinsKeyOf(readFileSync(PINS_PATH, 'utf8')));
  if (note) throw new UserError(note);
  const known = (selected.length ? selected : all).filter((c) => state.cells[c.id]);
  if (!known.length) throw new UserError(`no cells in ${paths.state}: run the matrix first (npm run matrix)`);
  console.log(`${writeTimings(state, known, paths)}\n\n(written to ${paths.timings})`);
  return 0;
}
