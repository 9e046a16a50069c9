// npm run bench -- --project bpf: brings the project's cluster up (and, with --tests, runs its
// tests) once per node-image path and round, one after another, and prints every phase side by
// side. Run by hand, not by CI: each run builds a cluster. The machine is noisy, so paths take
// turns within a round and the rounds alternate their order.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NODE_IMAGE_CHOICES, reportsDir, type NodeImageChoice } from '../../config/env.ts';
import { UserError } from '../../config/errors.ts';
import { formatDuration } from '../../harness/duration.ts';
import { parseCliArgs } from '../cli-args.ts';
import { checkoutOld } from './old-code.ts';
import { benchTable, readVitestTests, stepTimes, testTable, type BenchRun } from './phases.ts';

const OPTIONS = {
  project: { type: 'string', default: 'bpf' },
  paths: { type: 'string', default: 'plain,preloaded' },
  rounds: { type: 'string', default: '1' },
  tests: { type: 'boolean', default: false },
  files: { type: 'string' },
  compare: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const USAGE = `usage: npm run bench -- [--project bpf] [--paths plain,preloaded] [--rounds 1] [--tests] [--files <filter>] [--compare <commit>]
  --files    with --tests, only the spec files whose path contains <filter> (vitest's file filter), e.g. stories/auth-url
  --compare  also run the project from <commit> (a git worktree beside the checkout), old and new taking turns`;
/** A run that takes longer is stopped (its cluster is deleted by its own Ctrl-C handling). */
const RUN_TIMEOUT_MS = 60 * 60_000;
/** A vitest filter no test name matches: setup and teardown run, the tests are skipped. */
const NO_TESTS = '^netrepro-bench-bring-up-only$';

/** One way to run the project: which code (the checkout, or an old commit's worktree) with which node image. */
interface Contender {
  /** e.g. "preloaded", or "old 1a2b3c4d preloaded" when comparing code. */
  name: string;
  path: NodeImageChoice;
  cwd: string;
}

async function benchRun(project: string, who: Contender, round: number, withTests: boolean, files: string | undefined, dir: string): Promise<BenchRun> {
  const { path } = who;
  const label = `${who.name} #${round}`;
  const base = join(dir, `${project}-${who.name.replace(/\s+/g, '-')}-${round}`);
  const log = createWriteStream(`${base}.log`);
  const args = ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${base}.json`];
  if (!withTests) args.push('-t', NO_TESTS);
  else if (files) args.push(files);
  const env: NodeJS.ProcessEnv = { ...process.env, NETREPRO_NODE_IMAGE: path, NETREPRO_IMAGES: 'local', NETREPRO_RECREATE: '1', NETREPRO_REPORTS: `${base}-reports`, FORCE_COLOR: '0' };
  delete env.NETREPRO_KEEP;
  delete env.NETREPRO_KUBECONFIG;
  const started = Date.now();
  console.log(`[bench] ${label}: npx ${args.join(' ')} (log ${base}.log)`);
  let output = '';
  const exitCode = await new Promise<number | null>((resolve) => {
    const child = spawn('npx', args, { env, cwd: who.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const take = (chunk: Buffer) => {
      output += chunk.toString();
      log.write(chunk);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', (chunk: Buffer) => {
      take(chunk);
      for (const line of chunk.toString().split('\n')) if (/: done in |: failed after /.test(line)) console.log(`  ${line.trim()}`);
    });
    const timer = setTimeout(() => child.kill('SIGINT'), RUN_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  log.end();
  const wallMs = Date.now() - started;
  const json = `${base}.json`;
  const error =
    exitCode !== 0
      ? `exit ${exitCode}: ${output.split('\n').filter((l) => l.startsWith('netrepro:')).at(-1) ?? `see ${base}.log`}`
      : withTests && !existsSync(json)
        ? `Vitest wrote no JSON report at ${json}, so this run's test times are missing; see ${base}.log`
        : undefined;
  console.log(`[bench] ${label}: ${error ?? 'ok'} in ${formatDuration(wallMs)}`);
  return { label, path: who.name, steps: stepTimes(output), tests: readVitestTests(json), wallMs, error };
}

async function main(): Promise<number> {
  const { values } = parseCliArgs(process.argv.slice(2), OPTIONS, 'npm run bench --');
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const paths = values.paths.split(',').map((p) => p.trim()) as NodeImageChoice[];
  const unknown = paths.filter((p) => !NODE_IMAGE_CHOICES.includes(p));
  if (unknown.length) throw new UserError(`--paths: unknown ${unknown.join(', ')} (use ${NODE_IMAGE_CHOICES.join(', ')})`);
  if (values.files !== undefined && !values.tests) throw new UserError('--files picks spec files to run, so it needs --tests');
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new UserError(`--rounds "${values.rounds}" is not a whole number ≥ 1`);

  // Absolute: an old commit's run has its worktree as working directory, and must write its reports here.
  const dir = resolve(reportsDir(), 'bench');
  mkdirSync(dir, { recursive: true });
  const here = process.cwd();
  const old = values.compare ? await checkoutOld(here, values.compare) : undefined;
  const contenders: Contender[] = old
    ? paths.flatMap((path) => [
        { name: `old ${old.sha.slice(0, 8)} ${path}`, path, cwd: old.dir },
        { name: `new ${path}`, path, cwd: here },
      ])
    : paths.map((path) => ({ name: path, path, cwd: here }));
  const runs: BenchRun[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      const order = round % 2 ? contenders : [...contenders].reverse();
      for (const who of order) runs.push(await benchRun(values.project, who, round, values.tests, values.files, dir));
    }
  } finally {
    await old?.remove();
  }
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const report = [
    `# Bench: --project ${values.project}, ${rounds} round(s), ${values.tests ? `bring-up and tests${values.files ? ` in files matching "${values.files}"` : ''}` : 'bring-up only'}${old ? `, old = ${old.sha.slice(0, 12)} (--compare ${values.compare}), new = the checkout` : ''} (${when} UTC)`,
    '',
    benchTable(runs),
    '',
    testTable(runs),
    ...runs.filter((r) => r.error).map((r) => `- ${r.label} failed: ${r.error}`),
  ].join('\n');
  const file = join(dir, `${values.project}.md`);
  writeFileSync(file, report + '\n');
  console.log(`\n${report}\n\n[bench] report: ${file}`);
  return runs.some((r) => r.error) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(`bench: ${e.message}`);
    process.exit(e instanceof UserError ? 2 : 1);
  },
);
