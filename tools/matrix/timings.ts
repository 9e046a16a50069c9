// Where a matrix run's time went: per cell, its bring-up phases and each story's tests beside the
// least time the story's timers allow. Read back from each cell's log and Vitest JSON report.
import { formatDuration } from '../../harness/duration.ts';
import { storyFloor, storyTimes, sum, timesFloor, type FloorOf, type StepTime, type StoryTime, type TestTime } from '../bench/phases.ts';

export interface CellTiming {
  id: string;
  status: string;
  durationMs?: number;
  steps: StepTime[];
  tests: TestTime[];
}

const BRING_UP = 'bring up cluster';
/** Bring-up phases shown as columns, by the start of their phase name. */
const BRING_UP_COLUMNS = [
  ['create', 'create cluster'],
  ['Cilium', 'install Cilium'],
  ['CoreDNS', 'wait for CoreDNS'],
] as const;

const show = (ms: number | undefined) => (ms === undefined ? '—' : formatDuration(ms));

/** The steps of the cell's bring-up: up to its "bring up cluster" line (stories print steps of the same names later). */
function bringUpSteps(steps: readonly StepTime[]): StepTime[] {
  const end = steps.findIndex((s) => s.phase === BRING_UP);
  return end < 0 ? [] : steps.slice(0, end + 1);
}

const storyCell = (s: StoryTime) =>
  `${s.story} ${formatDuration(s.ms)}${s.floorMs ? ` (${timesFloor(s.ms, { ms: s.floorMs, basis: '' })})` : ''}${s.failed ? `, ${s.failed} failed` : ''}`;

/** One row per cell, then a line that says how the summed cell time splits into bring-up, tests and timer floors. */
export function timingsTable(cells: readonly CellTiming[], floorOf: FloorOf = storyFloor): string {
  const header = ['cell', 'result', 'cell time', 'bring-up', ...BRING_UP_COLUMNS.map(([name]) => name), 'tests', 'stories: time (× timer floor)'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  let bringUpTotal = 0;
  let testsTotal = 0;
  let floorTotal = 0;
  for (const cell of cells) {
    const bringUp = bringUpSteps(cell.steps);
    const phase = (prefix: string) => {
      const hits = bringUp.filter((s) => s.phase.startsWith(prefix));
      return hits.length ? sum(hits.map((s) => s.ms)) : undefined;
    };
    const bringUpMs = phase(BRING_UP);
    const testsMs = cell.tests.length ? sum(cell.tests.map((t) => t.ms)) : undefined;
    const stories = storyTimes(cell.tests, floorOf);
    bringUpTotal += bringUpMs ?? 0;
    testsTotal += testsMs ?? 0;
    floorTotal += sum(stories.map((s) => s.floorMs ?? 0));
    const columns = BRING_UP_COLUMNS.map(([, prefix]) => show(phase(prefix)));
    lines.push(`| ${[cell.id, cell.status, show(cell.durationMs), show(bringUpMs), ...columns, show(testsMs), stories.map(storyCell).join('; ') || '—'].join(' | ')} |`);
  }
  const cellTotal = sum(cells.map((c) => c.durationMs ?? 0));
  const share = (ms: number) => (cellTotal ? ` (${Math.round((ms / cellTotal) * 100)}%)` : '');
  lines.push(
    '',
    `Cell time adds up to ${formatDuration(cellTotal)}: bring-up ${formatDuration(bringUpTotal)}${share(bringUpTotal)}, tests ${formatDuration(testsTotal)}${share(testsTotal)}, ` +
      `of which the stories' timer floors ${formatDuration(floorTotal)}${share(floorTotal)}; the rest is teardown and Vitest's own start.`,
  );
  return lines.join('\n');
}
