import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { VARIANTS } from '../../clusters/index.ts';
import { clusterName } from '../kind-config.ts';
import { missingLocalImages } from '../image-source.ts';
import type { OutcomeRecord } from '../outcome-log.ts';
import { pins, PINS_PATH } from '../pins.ts';
import { checkDockerRunning, toolPath } from '../tools.ts';
import { resolveCiliumVersion } from '../versions.ts';
import { reportBadges } from './badges.ts';
import { cellExpectations, type Cell } from './cells.ts';
import { readOutcomes } from './outcomes.ts';
import { buildReport, formatDuration, renderMarkdown, type MatrixReport, type TestCounts } from './report.ts';
import { cellRunsFromState, emptyState, isFinished, loadState, pinsKeyOf, planCells, saveState, type CellState, type MatrixState } from './state.ts';

export const DEFAULT_CELL_TIMEOUT_MS = 45 * 60_000;
/** How long a child gets between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 30_000;

/** Where the local runner writes, under the reports directory. */
export function matrixPaths(reportsDir = 'reports') {
  const dir = join(reportsDir, 'matrix');
  return {
    reportsDir,
    dir,
    state: join(dir, 'state.json'),
    markdown: join(reportsDir, 'matrix.md'),
    json: join(reportsDir, 'matrix.json'),
    badges: join(dir, 'badges'),
    outcomes: (c: Cell) => join(dir, `${c.id}.jsonl`),
    log: (c: Cell) => join(dir, `${c.id}.log`),
    vitestJson: (c: Cell) => join(dir, `${c.id}.vitest.json`),
  };
}
export type MatrixPaths = ReturnType<typeof matrixPaths>;

export interface LocalRunOptions {
  all: Cell[];
  selected: Cell[];
  reportsDir: string;
  /** Default 45 min; the child's process group is killed when it runs longer. */
  cellTimeoutMs: number;
  /** Keep each cell's cluster (NETREPRO_KEEP=1); default: each cell deletes its cluster. */
  keep: boolean;
  fresh: boolean;
  dryRun: boolean;
  /** Echo every line of the children's output, not only netrepro's progress lines. */
  verbose: boolean;
}

const say = (line: string) => process.stderr.write(`[matrix] ${line}\n`);

/** The command and environment of one cell's child process. */
export function cellCommand(cell: Cell, paths: MatrixPaths, opts: Pick<LocalRunOptions, 'keep'>, base: NodeJS.ProcessEnv = process.env) {
  const env: NodeJS.ProcessEnv = {
    ...base,
    NETREPRO_IMAGES: 'local',
    CILIUM_VERSION: cell.ciliumVersion ?? '',
    NETREPRO_OUTCOMES: paths.outcomes(cell),
    FORCE_COLOR: base.FORCE_COLOR ?? '0',
  };
  delete env.NETREPRO_KEEP;
  delete env.NETREPRO_KUBECONFIG; // the matrix provisions its own clusters
  if (opts.keep) env.NETREPRO_KEEP = '1';
  const args = ['vitest', 'run', '--project', cell.variant, '--reporter=default', '--reporter=json', `--outputFile.json=${paths.vitestJson(cell)}`];
  return { file: 'npx', args, env };
}

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

interface ChildResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  interrupted: boolean;
  /** The last one-line error the suite printed (`netrepro: …`), if any. */
  lastError?: string;
}

/** Set while a child runs, so a signal to the runner reaches the child's process group. */
let current: { pid: number; interrupted: boolean } | undefined;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

async function runChild(cell: Cell, paths: MatrixPaths, opts: LocalRunOptions): Promise<ChildResult> {
  const { file, args, env } = cellCommand(cell, paths, opts);
  const log = createWriteStream(paths.log(cell));
  log.write(`$ CILIUM_VERSION=${env.CILIUM_VERSION} NETREPRO_IMAGES=local NETREPRO_OUTCOMES=${env.NETREPRO_OUTCOMES} ${file} ${args.join(' ')}\n`);
  // detached: the child leads its own process group, so a timeout can kill vitest and everything it started.
  const child = spawn(file, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  let lastError: string | undefined;
  const follow = (stream: NodeJS.ReadableStream) =>
    createInterface({ input: stream }).on('line', (line) => {
      log.write(`${line}\n`);
      if (line.startsWith('netrepro: ')) lastError = line.slice('netrepro: '.length);
      if (opts.verbose || line.startsWith('[netrepro]') || line.startsWith('netrepro: ')) process.stderr.write(`    ${line}\n`);
    });
  follow(child.stdout);
  follow(child.stderr);

  let timedOut = false;
  let killTimer: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    say(`${cell.id}: no result after ${formatDuration(opts.cellTimeoutMs)}: stopping its process group`);
    if (pid) {
      killGroup(pid, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(pid, 'SIGKILL'), KILL_GRACE_MS);
    }
  }, opts.cellTimeoutMs);
  if (pid) current = { pid, interrupted: false };

  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, sig) => resolve([code, sig]));
  }).finally(() => {
    clearTimeout(timer);
    if (killTimer) clearTimeout(killTimer);
  });
  const interrupted = current?.interrupted ?? false;
  current = undefined;
  await new Promise<void>((resolve) => log.end(resolve));
  return { exitCode, signal, timedOut, interrupted, ...(lastError ? { lastError } : {}) };
}

/** A cell killed on timeout never ran its global teardown: delete its cluster unless kept. */
async function deleteLeftoverCluster(cell: Cell, keep: boolean): Promise<void> {
  if (keep) return;
  const name = clusterName(VARIANTS[cell.variant]);
  await new Promise<void>((resolve) => {
    const p = spawn(toolPath('kind'), ['delete', 'cluster', '--name', name], { stdio: 'ignore' });
    p.on('error', () => resolve());
    p.on('close', () => resolve());
  });
  say(`${cell.id}: deleted kind cluster ${name} (left over by the timeout)`);
}

const countsText = (t: TestCounts | undefined) => (t ? `tests ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped` : 'no test report');

function casesText(records: OutcomeRecord[]): string {
  if (records.length === 0) return 'no story case concluded';
  const ok = records.filter((r) => r.pass).length;
  return `story cases ${ok}/${records.length} as expected`;
}

/** Image refs a cell needs locally and lacks. */
async function missingImages(cell: Cell): Promise<string[]> {
  return missingLocalImages(VARIANTS[cell.variant], cell.ciliumVersion ?? resolveCiliumVersion(pins));
}

export function writeReport(report: MatrixReport, paths: MatrixPaths): void {
  mkdirSync(paths.dir, { recursive: true });
  writeFileSync(paths.markdown, renderMarkdown(report));
  writeFileSync(paths.json, `${JSON.stringify(report, null, 2)}\n`);
  rmSync(paths.badges, { recursive: true, force: true });
  mkdirSync(paths.badges, { recursive: true });
  for (const [name, badge] of Object.entries(reportBadges(report))) writeFileSync(join(paths.badges, name), `${JSON.stringify(badge)}\n`);
}

export function reportFromState(state: MatrixState, opts: Pick<LocalRunOptions, 'all' | 'selected'>, paths: MatrixPaths): MatrixReport {
  const runs = cellRunsFromState(opts.all, opts.selected, state);
  const records: OutcomeRecord[] = [];
  const problems: string[] = [];
  for (const run of runs) {
    const parsed = readOutcomes(paths.outcomes(run.cell));
    records.push(...parsed.records);
    problems.push(...parsed.problems);
  }
  return buildReport(runs, records, { problems });
}

/**
 * Runs the selected cells one after another on this machine with local
 * images, resuming what an earlier, interrupted run left unfinished.
 * Returns the exit code: 0 when every cell that ran passed, 1 otherwise,
 * 130 when interrupted.
 */
export async function runLocalMatrix(opts: LocalRunOptions): Promise<number> {
  const paths = matrixPaths(opts.reportsDir);
  const pinsKey = pinsKeyOf(readFileSync(PINS_PATH, 'utf8'));
  let state: MatrixState;
  if (opts.fresh) {
    state = emptyState(pinsKey);
  } else {
    const loaded = loadState(paths.state, pinsKey);
    if (loaded.note) say(loaded.note);
    state = loaded.state;
  }
  const { run, finished } = planCells(opts.selected, state);

  let docker: string | undefined;
  try {
    await checkDockerRunning();
  } catch (e) {
    docker = (e as Error).message;
  }

  if (opts.dryRun) return dryRun(run, finished, state, paths, opts, docker);
  if (docker) {
    say(docker);
    return 2;
  }

  if (opts.fresh) {
    rmSync(paths.dir, { recursive: true, force: true });
    say('--fresh: previous matrix state and cell results removed');
  }
  mkdirSync(paths.dir, { recursive: true });
  saveState(paths.state, state);
  if (finished.length) say(`resuming: ${finished.length} cell(s) finished earlier (${finished.map((c) => c.id).join(', ')}); --fresh starts over`);
  say(`${run.length} cell(s) to run, one after another; per-cell timeout ${formatDuration(opts.cellTimeoutMs)}; clusters ${opts.keep ? 'kept' : 'deleted after each cell'}`);

  const onSignal = (sig: NodeJS.Signals) => {
    if (current) {
      current.interrupted = true;
      killGroup(current.pid, sig === 'SIGINT' ? 'SIGINT' : 'SIGTERM');
      say(`${sig}: stopping the running cell; rerun \`npm run matrix\` to resume`);
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const started = Date.now();
  let failed = 0;
  let interrupted = false;
  try {
    for (const [i, cell] of run.entries()) {
      const tag = `${i + 1}/${run.length} ${cell.id}`;
      const missing = await missingImages(cell);
      if (missing.length) {
        const reason = `images missing (npm run images …): ${missing.slice(0, 2).join(', ')}${missing.length > 2 ? `, +${missing.length - 2}` : ''}`;
        state.cells[cell.id] = { status: 'skipped', endedAt: new Date().toISOString(), reason };
        saveState(paths.state, state);
        say(`${tag} skipped: ${reason}`);
        continue;
      }
      for (const f of [paths.outcomes(cell), paths.vitestJson(cell), paths.log(cell)]) rmSync(f, { force: true });
      const t0 = Date.now();
      state.cells[cell.id] = { status: 'running', startedAt: new Date(t0).toISOString() };
      saveState(paths.state, state);
      say(`${tag} start: vitest --project ${cell.variant}${cell.ciliumVersion ? `, Cilium ${cell.ciliumVersion}` : ''}; log ${paths.log(cell)}`);

      const result = await runChild(cell, paths, opts);
      const durationMs = Date.now() - t0;
      if (result.interrupted) {
        interrupted = true;
        say(`${tag} interrupted after ${formatDuration(durationMs)}: it will run again on the next \`npm run matrix\``);
        break;
      }
      if (result.timedOut) await deleteLeftoverCluster(cell, opts.keep);
      const tests = readTestCounts(paths.vitestJson(cell));
      const records = readOutcomes(paths.outcomes(cell)).records;
      const status: CellState['status'] = result.timedOut ? 'timeout' : result.exitCode === 0 ? 'passed' : 'failed';
      const reason = result.timedOut
        ? `killed after ${formatDuration(opts.cellTimeoutMs)} (--cell-timeout)`
        : status === 'failed'
          ? (result.lastError ?? `vitest exited with ${result.exitCode ?? result.signal}`)
          : undefined;
      state.cells[cell.id] = {
        status,
        startedAt: new Date(t0).toISOString(),
        endedAt: new Date().toISOString(),
        durationMs,
        exitCode: result.exitCode,
        ...(reason ? { reason } : {}),
        ...(tests ? { tests } : {}),
      };
      saveState(paths.state, state);
      if (status !== 'passed') failed++;
      say(`${tag} ${status} in ${formatDuration(durationMs)}: ${countsText(tests)}; ${casesText(records)}${reason ? ` — ${reason}` : ''}`);
      writeReport(reportFromState(state, opts, paths), paths);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  const report = reportFromState(state, opts, paths);
  writeReport(report, paths);
  say(`done in ${formatDuration(Date.now() - started)} (cell time in the report: ${formatDuration(report.totals.durationMs)}); report ${paths.markdown}, ${paths.json}`);
  if (interrupted) return 130;
  return failed > 0 ? 1 : 0;
}

async function dryRun(run: Cell[], finished: Cell[], state: MatrixState, paths: MatrixPaths, opts: LocalRunOptions, docker: string | undefined): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`dry run: ${run.length} cell(s) would run, ${finished.length} finished earlier${opts.fresh ? ' (--fresh: would run again)' : ''}`);
  out(`per-cell timeout ${formatDuration(opts.cellTimeoutMs)}; clusters ${opts.keep ? 'kept (NETREPRO_KEEP=1)' : 'deleted after each cell'}; state ${paths.state}`);
  if (docker) out(`! ${docker}: local images not checked`);
  const toRun = opts.fresh ? [...finished, ...run] : run;
  for (const cell of opts.selected) {
    const prior = state.cells[cell.id];
    if (!opts.fresh && isFinished(prior) && !toRun.includes(cell)) {
      out(`- ${cell.id}: finished earlier (${prior?.status}${prior?.durationMs !== undefined ? `, ${formatDuration(prior.durationMs)}` : ''}): not run again`);
      continue;
    }
    const missing = docker ? [] : await missingImages(cell);
    const { file, args, env } = cellCommand(cell, paths, opts);
    const what = missing.length ? `would skip: images missing (npm run images …): ${missing.join(', ')}` : 'would run';
    out(`- ${cell.id}: ${what}`);
    out(`    CILIUM_VERSION=${env.CILIUM_VERSION} NETREPRO_IMAGES=local NETREPRO_OUTCOMES=${env.NETREPRO_OUTCOMES}${opts.keep ? ' NETREPRO_KEEP=1' : ''} ${file} ${args.join(' ')}`);
    const expected = cellExpectations(cell)
      .map((e) => `${e.story}/${e.case}=${e.expected}`)
      .join(', ');
    out(`    expects: ${expected || '(no row in expectations.ts)'}`);
  }
  return 0;
}
