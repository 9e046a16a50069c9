import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, isAbsolute, resolve } from 'node:path';
import { VARIANTS } from '../../clusters/index.ts';
import { clusterName } from '../../clusters/provision/kind-config.ts';
import { buildCommandFor, missingLocalImages } from '../../harness/image-source.ts';
import type { OutcomeRecord } from '../../harness/outcome-log.ts';
import { pins, PINS_PATH } from '../../config/pins.ts';
import { checkDockerRunning, toolPath } from '../../harness/tools.ts';
import { resolveCiliumVersion } from '../../config/versions.ts';
import { cellExpectations, type Cell } from './cells.ts';
import { matrixPaths, readTestCounts, writeReport, type MatrixPaths } from './files.ts';
import { readOutcomes } from './outcomes.ts';
import { buildReport, formatDuration, type MatrixReport, type TestCounts } from './report.ts';
import { longestFirst } from './schedule.ts';
import { writeTimings } from './timings-report.ts';
import { cellRunsFromState, emptyState, isFinished, loadState, pinsKeyOf, planCells, saveState, type CellState, type MatrixState } from './state.ts';

/** How long a child gets between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 30_000;

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
  /** Cells at once (default 1); each gets its own MetalLB pool slot. */
  parallel?: number;
  /** Seams for tests: the real ones run vitest, ask docker for images, check dockerd. */
  seams?: {
    command?: (cell: Cell, paths: MatrixPaths, slot: number) => { file: string; args: string[]; env: NodeJS.ProcessEnv };
    missingImages?: (cell: Cell) => Promise<string[]>;
    checkDocker?: () => Promise<void>;
  };
}

const say = (line: string) => process.stderr.write(`[matrix] ${line}\n`);

/** The command and environment of one cell's child process. */
export function cellCommand(cell: Cell, paths: MatrixPaths, opts: Pick<LocalRunOptions, 'keep'>, base: NodeJS.ProcessEnv = process.env, slot = 0) {
  const env: NodeJS.ProcessEnv = {
    ...base,
    NETREPRO_IMAGES: 'local',
    CILIUM_VERSION: cell.ciliumVersion ?? '',
    NETREPRO_OUTCOMES: paths.outcomes(cell),
    // Absolute, so the evidence paths in the outcome records hold from any working directory.
    NETREPRO_REPORTS: resolve(paths.cellReports(cell)),
    FORCE_COLOR: base.FORCE_COLOR ?? '0',
    // Cells side by side share the kind network: each takes its own LoadBalancer addresses.
    NETREPRO_LB_SLOT: String(slot),
  };
  delete env.NETREPRO_KEEP;
  delete env.NETREPRO_KUBECONFIG; // the matrix provisions its own clusters
  if (opts.keep) env.NETREPRO_KEEP = '1';
  const args = [
    'vitest', 'run', '--project', cell.variant, '--reporter=default', '--reporter=json', `--outputFile.json=${paths.vitestJson(cell)}`,
    '--reporter=html', `--outputFile.html=${paths.cellHtml(cell)}`,
  ];
  return { file: 'npx', args, env };
}

export interface ChildResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  interrupted: boolean;
  /** The last one-line error the suite printed (`netrepro: …`), if any. */
  lastError?: string;
}

export interface ChildOptions {
  timeoutMs: number;
  /** Echo every output line; otherwise only netrepro's progress and error lines. */
  verbose: boolean;
  /** Between SIGTERM and SIGKILL on timeout (default 30 s). */
  graceMs?: number;
  /** Where echoed lines go (default stderr, indented). */
  echo?: (line: string) => void;
}

/** The children running now, so a signal to the runner reaches their process groups. */
const running = new Map<number, { interrupted: boolean }>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Runs one command as the leader of a new process group, its output to
 * `logPath`. On timeout the whole group gets SIGTERM, then SIGKILL after the
 * grace period: vitest and everything it started (kind, helm, kubectl).
 */
export async function runChild(command: { file: string; args: string[]; env: NodeJS.ProcessEnv }, logPath: string, opts: ChildOptions): Promise<ChildResult> {
  const { file, args, env } = command;
  const echo = opts.echo ?? ((line: string) => process.stderr.write(`    ${line}\n`));
  const log = createWriteStream(logPath);
  const shown = Object.entries(env).filter(([k]) => k.startsWith('NETREPRO_') || k === 'CILIUM_VERSION');
  log.write(`$ ${shown.map(([k, v]) => `${k}=${v ?? ''} `).join('')}${file} ${args.join(' ')}\n`);
  const child = spawn(file, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  let lastError: string | undefined;
  const follow = (stream: NodeJS.ReadableStream) =>
    createInterface({ input: stream }).on('line', (line) => {
      log.write(`${line}\n`);
      if (line.startsWith('netrepro: ')) lastError = line.slice('netrepro: '.length);
      if (opts.verbose || line.startsWith('[netrepro]') || line.startsWith('netrepro: ')) echo(line);
    });
  follow(child.stdout);
  follow(child.stderr);

  let timedOut = false;
  let killTimer: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    if (pid) {
      killGroup(pid, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(pid, 'SIGKILL'), opts.graceMs ?? KILL_GRACE_MS);
    }
  }, opts.timeoutMs);
  const entry = { interrupted: false };
  if (pid) running.set(pid, entry);

  try {
    const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
    const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code, sig) => resolve([code, sig]));
    });
    // After a timeout or an interrupt, nothing of the group may outlive the child (port-forwards, kubectl, kind).
    const interrupted = entry.interrupted;
    if (pid && (timedOut || interrupted)) killGroup(pid, timedOut ? 'SIGKILL' : 'SIGTERM');
    // Drain the output, but not forever: a grandchild that left the group could hold the pipes open.
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    return { exitCode, signal, timedOut, interrupted, ...(lastError ? { lastError } : {}) };
  } finally {
    clearTimeout(timer);
    if (killTimer) clearTimeout(killTimer);
    if (pid) running.delete(pid);
    child.stdout.destroy();
    child.stderr.destroy();
    await new Promise<void>((resolve) => log.end(resolve));
  }
}

/** A cell killed on timeout never ran its global teardown: delete its cluster unless kept. */
async function deleteLeftoverCluster(cell: Cell, keep: boolean): Promise<void> {
  if (keep) return;
  const name = clusterName(VARIANTS[cell.variant], cell.ciliumVersion);
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
  // Records, not table rows: a case concluded in two flavours counts twice here and once in the report.
  return `${records.length} conclusion${records.length === 1 ? '' : 's'}, ${ok} as expected`;
}

/** Image refs a cell needs locally and lacks. */
async function missingImages(cell: Cell): Promise<string[]> {
  return missingLocalImages(VARIANTS[cell.variant], cell.ciliumVersion ?? resolveCiliumVersion(pins));
}

export function reportFromState(state: MatrixState, opts: Pick<LocalRunOptions, 'all' | 'selected'>, paths: MatrixPaths): MatrixReport {
  const runs = cellRunsFromState(opts.all, opts.selected, state);
  const records: OutcomeRecord[] = [];
  const problems: string[] = [];
  for (const run of runs) {
    const parsed = readOutcomes(paths.outcomes(run.cell));
    // Records of earlier runs hold evidence paths relative to where the matrix ran: the reports directory's parent.
    const ranIn = dirname(resolve(paths.dir, '..'));
    records.push(...parsed.records.map((r) => (r.evidence && !isAbsolute(r.evidence) ? { ...r, evidence: resolve(ranIn, r.evidence) } : r)));
    problems.push(...parsed.problems);
  }
  return buildReport(runs, records, { problems });
}

/**
 * Runs the selected cells one after another on this machine with local
 * images, resuming what an earlier, interrupted run left unfinished.
 * Returns the exit code: 0 when no selected cell failed or timed out (in this
 * run or an earlier one it resumes), 1 otherwise, 130 when interrupted.
 */
export async function runLocalMatrix(opts: LocalRunOptions): Promise<number> {
  const paths = matrixPaths(opts.reportsDir);
  const pinsKey = pinsKeyOf(readFileSync(PINS_PATH, 'utf8'));
  const loaded = loadState(paths.state, pinsKey);
  const freshAll = opts.fresh && opts.selected.length === opts.all.length;
  const state: MatrixState = freshAll ? emptyState(pinsKey) : loaded.state;
  if (loaded.note && !freshAll) say(loaded.note);
  if (opts.fresh) for (const c of opts.selected) delete state.cells[c.id];
  const { run, finished } = planCells(opts.selected, state);

  let docker: string | undefined;
  try {
    await (opts.seams?.checkDocker ?? checkDockerRunning)();
  } catch (e) {
    docker = (e as Error).message;
  }

  if (opts.dryRun) return dryRun(run, finished, state, paths, opts, docker);
  if (docker) {
    say(docker);
    return 2;
  }

  if (freshAll) {
    rmSync(paths.dir, { recursive: true, force: true });
    say('--fresh: previous matrix state and cell results removed');
  } else if (opts.fresh) {
    say(`--fresh: forgot ${opts.selected.map((c) => c.id).join(', ')}; other cells keep their results`);
  }
  mkdirSync(paths.dir, { recursive: true });
  saveState(paths.state, state);
  if (finished.length) say(`resuming: ${finished.length} cell(s) finished earlier (${finished.map((c) => c.id).join(', ')}); --fresh runs them again`);
  const parallel = Math.max(1, Math.min(opts.parallel ?? 1, run.length || 1));
  const queue = parallel > 1 ? longestFirst(run, (c) => loaded.state.cells[c.id]?.durationMs) : run;
  say(
    `${run.length} cell(s) to run, ${parallel > 1 ? `${parallel} at a time, longest first` : 'one after another'}; per-cell timeout ${formatDuration(opts.cellTimeoutMs)}; clusters ${opts.keep ? 'kept' : 'deleted after each cell'}`,
  );

  let interrupted = false;
  const onSignal = (sig: NodeJS.Signals) => {
    if (running.size === 0) process.exit(130);
    interrupted = true;
    const again = [...running.values()].some((r) => r.interrupted);
    for (const [pid, child] of running) {
      if (again) killGroup(pid, 'SIGKILL');
      else {
        child.interrupted = true;
        killGroup(pid, sig === 'SIGINT' ? 'SIGINT' : 'SIGTERM');
      }
    }
    say(
      again
        ? `${sig} again: killed the running cells' process groups (their clusters may be left; \`kind get clusters\`)`
        : `${sig}: stopping the running cell(s) (again to kill them); rerun \`npm run matrix\` to resume`,
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const started = Date.now();
  let next = 0;
  const runCell = async (cell: Cell, tag: string, slot: number): Promise<void> => {
    const missing = await (opts.seams?.missingImages ?? missingImages)(cell);
    if (missing.length) {
      const reason = `images missing (${buildCommandFor(missing, cell.ciliumVersion ?? '')}): ${missing.slice(0, 2).join(', ')}${missing.length > 2 ? `, +${missing.length - 2}` : ''}`;
      state.cells[cell.id] = { status: 'skipped', endedAt: new Date().toISOString(), reason };
      saveState(paths.state, state);
      say(`${tag} skipped: ${reason}`);
      return;
    }
    for (const f of [paths.outcomes(cell), paths.vitestJson(cell), paths.log(cell)]) rmSync(f, { force: true });
    const t0 = Date.now();
    state.cells[cell.id] = { status: 'running', startedAt: new Date(t0).toISOString() };
    saveState(paths.state, state);
    say(`${tag} start: vitest --project ${cell.variant}${cell.ciliumVersion ? `, Cilium ${cell.ciliumVersion}` : ''}; log ${paths.log(cell)}`);

    const command = opts.seams?.command?.(cell, paths, slot) ?? cellCommand(cell, paths, opts, process.env, slot);
    // Side by side, each echoed line names its cell.
    const echo = parallel > 1 ? (line: string) => process.stderr.write(`    ${cell.id} | ${line}\n`) : undefined;
    const result = await runChild(command, paths.log(cell), { timeoutMs: opts.cellTimeoutMs, verbose: opts.verbose, ...(echo ? { echo } : {}) });
    const durationMs = Date.now() - t0;
    if (result.interrupted) {
      interrupted = true;
      state.cells[cell.id] = { status: 'interrupted', startedAt: new Date(t0).toISOString() };
      saveState(paths.state, state);
      say(`${tag} interrupted after ${formatDuration(durationMs)}: it will run again on the next \`npm run matrix\``);
      return;
    }
    if (result.timedOut) {
      say(`${tag}: no result after ${formatDuration(opts.cellTimeoutMs)}: its process group was stopped`);
      await deleteLeftoverCluster(cell, opts.keep);
    }
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
    say(`${tag} ${status} in ${formatDuration(durationMs)}: ${countsText(tests)}; ${casesText(records)}${reason ? ` — ${reason}` : ''}`);
    writeReport(reportFromState(state, opts, paths), paths);
  };
  const worker = async (slot: number): Promise<void> => {
    while (!interrupted && next < queue.length) {
      const i = next++;
      await runCell(queue[i]!, `${i + 1}/${queue.length} ${queue[i]!.id}`, slot);
    }
  };
  try {
    await Promise.all(Array.from({ length: parallel }, (_, slot) => worker(slot)));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  const report = reportFromState(state, opts, paths);
  writeReport(report, paths);
  writeTimings(state, opts.selected, paths);
  const tally = Object.entries(report.totals.byStatus)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  say(`done in ${formatDuration(Date.now() - started)}: ${tally || 'no cells'} (cell time in the report ${formatDuration(report.totals.durationMs)}); report ${paths.markdown}, ${paths.json}; where the time went: ${paths.timings}`);
  if (interrupted) return 130;
  // The whole selection counts, including cells a previous run finished.
  const bad = opts.selected.filter((c) => ['failed', 'timeout'].includes(state.cells[c.id]?.status ?? ''));
  if (bad.length) say(`not passed: ${bad.map((c) => `${c.id} (${state.cells[c.id]?.status})`).join(', ')}`);
  return bad.length > 0 ? 1 : 0;
}

async function dryRun(run: Cell[], finished: Cell[], state: MatrixState, paths: MatrixPaths, opts: LocalRunOptions, docker: string | undefined): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`dry run: ${run.length} cell(s) would run, ${finished.length} finished earlier${opts.fresh ? ' (--fresh: would run again)' : ''}`);
  out(`per-cell timeout ${formatDuration(opts.cellTimeoutMs)}; clusters ${opts.keep ? 'kept (NETREPRO_KEEP=1)' : 'deleted after each cell'}; state ${paths.state}`);
  if (docker) out(`! ${docker}: local images not checked`);
  for (const cell of opts.selected) {
    const prior = state.cells[cell.id];
    if (isFinished(prior) && !run.includes(cell)) {
      out(`- ${cell.id}: finished earlier (${prior?.status}${prior?.durationMs !== undefined ? `, ${formatDuration(prior.durationMs)}` : ''}): not run again`);
      continue;
    }
    const missing = docker ? [] : await missingImages(cell);
    const { file, args, env } = cellCommand(cell, paths, opts);
    const what = missing.length ? `would skip: images missing (${buildCommandFor(missing, cell.ciliumVersion ?? '')}): ${missing.join(', ')}` : 'would run';
    out(`- ${cell.id}: ${what}`);
    out(`    CILIUM_VERSION=${env.CILIUM_VERSION} NETREPRO_IMAGES=local NETREPRO_OUTCOMES=${env.NETREPRO_OUTCOMES}${opts.keep ? ' NETREPRO_KEEP=1' : ''} ${file} ${args.join(' ')}`);
    const expected = cellExpectations(cell)
      .map((e) => `${e.story}/${e.case}=${e.missingRow ? 'NO ROW' : e.expected}`)
      .join(', ');
    out(`    expects: ${expected || '(the variant runs no story)'}`);
  }
  return 0;
}
