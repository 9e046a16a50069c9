// npm run interrupt -- --project smoke --runs 20: starts the project, interrupts it at a random
// moment like a user at the terminal would (the whole process group), and checks what is left.
// Run by hand, not by CI: each run builds (part of) a cluster.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { reportsDir } from '../../config/env.ts';
import { run } from '../../harness/exec.ts';
import { toolPath } from '../../harness/tools.ts';
import { MANAGED_LABEL } from '../../harness/namespace.ts';
import { parseCliArgs } from '../cli-args.ts';
import { leftovers, phaseAt, planRuns, type Interruption, type PlannedRun, type Snapshot } from './plan.ts';

const OPTIONS = {
  project: { type: 'string', default: 'smoke' },
  runs: { type: 'string', default: '20' },
  signals: { type: 'string', default: 'SIGINT,SIGTERM,double-SIGINT' },
  min: { type: 'string', default: '5' },
  max: { type: 'string', default: '240' },
  seed: { type: 'string', default: '1' },
  /** Only clusters and containers whose names start with this are judged (default: every one), so other work on the machine is not counted. */
  scope: { type: 'string', default: '' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** A run must be gone this long after its (last) signal, or it counts as hanging. */
const EXIT_WITHIN_MS = 5 * 60_000;
/** The second Ctrl-C of `double-SIGINT` comes this long after the first, while cleanup runs. */
const SECOND_SIGNAL_AFTER_MS = 3_000;
const QUERY_MS = 30_000;
/**
 * Ctrl-C during setup deletes the half-made cluster in a detached process, so the prompt comes
 * back at once: what is still there this long after the exit counts as left behind.
 */
const SETTLE_MS = 60_000;
const SETTLE_POLL_MS = 2_000;

async function snapshot(scope = ''): Promise<Snapshot> {
  const clusters = await run(toolPath('kind'), ['get', 'clusters'], { timeoutMs: QUERY_MS });
  const containers = await run(toolPath('docker'), ['ps', '-a', '--format', '{{.Names}}'], { timeoutMs: QUERY_MS });
  const kubeconfig = process.env.KUBECONFIG?.split(':')[0] ?? join(homedir(), '.kube', 'config');
  const text = existsSync(kubeconfig) ? readFileSync(kubeconfig, 'utf8') : '';
  const lines = (s: string) => s.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('No kind clusters'));
  const existing = process.env.NETREPRO_KUBECONFIG;
  const namespaces = existing
    ? await run(toolPath('kubectl'), ['--kubeconfig', existing, 'get', 'namespaces', '-l', `${MANAGED_LABEL}=true`, '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.phase}{"\\n"}{end}'], { timeoutMs: QUERY_MS })
    : undefined;
  return {
    kindClusters: lines(clusters.stdout + clusters.stderr).filter((n) => n.startsWith(scope)),
    ...(namespaces ? { managedNamespaces: lines(namespaces.stdout).filter((l) => !l.endsWith(' Terminating')).map((l) => l.split(' ')[0]!) } : {}),
    containers: lines(containers.stdout).filter((n) => n.startsWith(scope)),
    kubeconfigHash: createHash('sha256').update(text).digest('hex').slice(0, 16),
    currentContext: /^current-context:\s*(.*)$/m.exec(text)?.[1]?.trim() ?? '',
  };
}

interface RunResult extends PlannedRun {
  phase: string;
  exitCode: number | null;
  exitSeconds: number;
  finishedBeforeSignal: boolean;
  left: string[];
  /** Seconds after the exit until nothing was left (detached cleanup), 0 when nothing was there at the exit. */
  settleSeconds: number;
  /** The run's own one-line error, if it printed one: a run that cannot start because of the one before shows here. */
  errorLine: string;
}

async function interrupted(project: string, plan: PlannedRun, logDir: string, before: Snapshot, scope: string): Promise<RunResult> {
  const log = join(logDir, `run-${plan.index}.log`);
  const out = createWriteStream(log);
  let output = '';
  const child = spawn('npx', ['vitest', 'run', '--project', project], { detached: true, env: { ...process.env, FORCE_COLOR: '0' } });
  for (const s of [child.stdout, child.stderr]) s.on('data', (c: Buffer) => { output += c; out.write(c); });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const signalAt = Date.now() + plan.delaySeconds * 1000;
  const finishedFirst = await Promise.race([exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), plan.delaySeconds * 1000))]);
  const phase = phaseAt(output);
  if (!finishedFirst) {
    const group = -child.pid!;
    process.kill(group, plan.interruption === 'SIGTERM' ? 'SIGTERM' : 'SIGINT');
    if (plan.interruption === 'double-SIGINT') setTimeout(() => { try { process.kill(group, 'SIGINT'); } catch { /* already gone */ } }, SECOND_SIGNAL_AFTER_MS);
  }
  const hung = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, EXIT_WITHIN_MS);
  const exitCode = await exited;
  clearTimeout(hung);
  out.end();
  const exitSeconds = Math.round((Date.now() - signalAt) / 100) / 10;
  let left = leftovers(before, await snapshot(scope));
  const exitedAt = Date.now();
  while (left.length > 0 && Date.now() - exitedAt < SETTLE_MS) {
    await new Promise((r) => setTimeout(r, SETTLE_POLL_MS));
    left = leftovers(before, await snapshot(scope));
  }
  const settleSeconds = Math.round((Date.now() - exitedAt) / 1000);
  if (exitSeconds * 1000 >= EXIT_WITHIN_MS) left.push(`did not exit within ${EXIT_WITHIN_MS / 60_000} min (killed)`);
  const errorLine = output.split('\n').filter((l) => l.startsWith('netrepro: ')).at(-1)?.slice('netrepro: '.length) ?? '';
  return { ...plan, phase, exitCode, exitSeconds, finishedBeforeSignal: finishedFirst, left, settleSeconds, errorLine };
}

function report(project: string, results: RunResult[]): string {
  const bad = results.filter((r) => r.left.length > 0);
  return [
    `# Interrupting \`--project ${project}\`: ${results.length} run(s), ${bad.length} left something behind`,
    '',
    `| run | signal | at | step when signalled | exit code | exit after signal | cleanup done after exit | its error line | left behind (${SETTLE_MS / 1000} s after exit) |`,
    '|---|---|---|---|---|---|---|---|---|',
    ...results.map((r) => `| ${r.index} | ${r.interruption} | ${r.delaySeconds} s | ${r.finishedBeforeSignal ? '(finished before the signal)' : r.phase.replace(/\|/g, '/')} | ${r.exitCode} | ${r.finishedBeforeSignal ? '—' : `${r.exitSeconds} s`} | ${r.left.length ? '—' : `${r.settleSeconds} s`} | ${r.errorLine.replace(/\|/g, '/') || '—'} | ${r.left.join('; ') || 'nothing'} |`),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseCliArgs(process.argv.slice(2), OPTIONS, 'npm run interrupt --');
  if (values.help) {
    console.log('usage: npm run interrupt -- [--project smoke] [--runs 20] [--signals SIGINT,SIGTERM,double-SIGINT] [--min 5] [--max 240] [--seed 1] [--scope netrepro-smoke]');
    return;
  }
  const kinds = values.signals.split(',') as Interruption[];
  const unknown = kinds.filter((k) => !['SIGINT', 'SIGTERM', 'double-SIGINT'].includes(k));
  if (unknown.length) throw new Error(`--signals: unknown ${unknown.join(', ')} (use SIGINT, SIGTERM, double-SIGINT)`);
  const plans = planRuns(Number(values.runs), kinds, { min: Number(values.min), max: Number(values.max) }, Number(values.seed));
  const logDir = join(reportsDir(), 'interrupt');
  mkdirSync(logDir, { recursive: true });
  const before = await snapshot(values.scope);
  const results: RunResult[] = [];
  for (const plan of plans) {
    const t0 = Date.now();
    console.error(`[interrupt] run ${plan.index}/${plans.length}: ${plan.interruption} after ${plan.delaySeconds} s …`);
    const r = await interrupted(values.project, plan, logDir, before, values.scope);
    results.push(r);
    console.error(`[interrupt] run ${plan.index}: ${r.finishedBeforeSignal ? 'finished first' : `signalled in "${r.phase}"`}, exit ${r.exitCode} ${r.exitSeconds} s after, left: ${r.left.join('; ') || `nothing (clean ${r.settleSeconds} s after exit)`} (${Math.round((Date.now() - t0) / 1000)} s)`);
  }
  const text = report(values.project, results);
  const path = join(reportsDir(), `interrupt-${values.project}.md`);
  writeFileSync(path, text);
  console.log(text);
  process.exit(results.some((r) => r.left.length > 0) ? 1 : 0);
}

main().catch((e: Error) => {
  console.error(`interrupt: ${e.message}`);
  process.exit(2);
});
