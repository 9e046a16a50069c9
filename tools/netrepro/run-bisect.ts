// netrepro bisect: which releases to try, and building and running each (the search is bisect.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { VARIANTS } from '../../clusters/index.ts';
import { reportsDir } from '../../config/env.ts';
import { goEnv } from '../../config/go-env.ts';
import { formatDuration } from '../../harness/duration.ts';
import { storyById } from '../../stories/index.ts';
import { readOutcomes } from '../matrix/outcomes.ts';
import { between, bisect, type Probe } from './bisect.ts';
import { commitsBetween, exportCommit, type Commit } from './commits.ts';
import { cacheRoot } from '../images/cache.ts';

const CILIUM_MODULE = 'github.com/cilium/cilium';
/** Patch releases tried per minor when asking the module proxy what it serves. */
const MAX_PATCH = 30;
/** One proxy question answers in well under this. */
const PROXY_QUERY_MS = 30_000;

export interface BisectRequest {
  story: string;
  case: string;
  good: string;
  bad: string;
  variant?: string;
  /** Passed to vitest as -t: only the test that concludes the case. */
  testFilter?: string;
  /** A Cilium tree with git history: good and bad are its revisions, and each commit is built from it. */
  src?: string;
}

/** One line for a request that cannot run; undefined when it can. */
export function checkRequest(q: BisectRequest): { error: string } | { variant: string } {
  const story = storyById(q.story);
  if (!story) return { error: `no story "${q.story}" (stories/<id>/)` };
  if (!(story.cases as readonly string[]).includes(q.case)) return { error: `story ${q.story} has no case "${q.case}": ${story.cases.join(', ')}` };
  if (q.src === undefined) {
    for (const v of [q.good, q.bad]) if (!semver.valid(v)) return { error: `"${v}" is not a release like 1.16.4 (to bisect commits, give the tree with --src)` };
    if (semver.eq(q.good, q.bad)) return { error: `--good and --bad are both ${q.good}` };
    if (semver.major(q.good) !== semver.major(q.bad)) return { error: `--good ${q.good} and --bad ${q.bad} are of different majors; bisect within one` };
  }
  const variants = Object.values(VARIANTS).filter((v) => v.stories.some((s) => s.id === q.story) && (story.casesOn(v.name) as readonly string[]).includes(q.case)).map((v): string => v.name);
  if (q.variant) {
    return variants.includes(q.variant) ? { variant: q.variant } : { error: `variant ${q.variant} does not run ${q.story}/${q.case} (variants that do: ${variants.join(', ') || 'none'})` };
  }
  if (variants.length !== 1) return { error: `${q.story}/${q.case} runs on ${variants.join(', ') || 'no variant'}: name one with --variant` };
  return { variant: variants[0]! };
}

/** Patch releases from lo to hi (same major), in order: the versions to ask the proxy about. */
export function releasesBetween(lo: string, hi: string): string[] {
  const out: string[] = [];
  for (let minor = semver.minor(lo); minor <= semver.minor(hi); minor++) {
    for (let patch = 0; patch <= MAX_PATCH; patch++) {
      const v = `${semver.major(lo)}.${minor}.${patch}`;
      if (semver.gte(v, lo) && semver.lte(v, hi)) out.push(v);
    }
  }
  return out;
}

/** Releases of github.com/cilium/cilium between the two that the module proxy serves (a filtered proxy refuses some). */
export function servedReleases(good: string, bad: string): { served: string[]; refused: string[] } {
  const [lo, hi] = semver.lt(good, bad) ? [good, bad] : [bad, good];
  const served: string[] = [];
  const refused: string[] = [];
  for (const v of releasesBetween(lo, hi)) {
    const r = spawnSync('go', ['list', '-m', '-json', `${CILIUM_MODULE}@v${v}`], { env: { ...process.env, ...goEnv() }, encoding: 'utf8', timeout: PROXY_QUERY_MS });
    (r.status === 0 && r.stdout.includes(`"Version": "v${v}"`) ? served : refused).push(v);
  }
  return { served, refused };
}

interface Step {
  probe: Probe;
  figures?: Record<string, string | number>;
  evidence?: string;
  buildMs: number;
  runMs: number;
}

/** One thing to build and run: a release from the module proxy, or a commit of a tree exported to disk. */
export interface Target {
  /** The release, or the commit's short sha: the key of its kept verdict. */
  id: string;
  /** For the report: the release, or the commit with its subject. */
  title: string;
  buildEnv: Record<string, string>;
  runEnv: Record<string, string>;
  /** The build as a user would type it. */
  buildCommand: string;
  prepare?: () => void;
}

export const releaseTarget = (version: string): Target => ({
  id: version,
  title: version,
  buildEnv: { CILIUM_REF: `v${version}` },
  runEnv: { CILIUM_VERSION: version, NETREPRO_ANY_RELEASE: '1' },
  buildCommand: `CILIUM_REF=v${version} npm run images -- cilium`,
});

export const commitTarget = (src: string, commit: Commit): Target => {
  // Only a path: the tree is written when the commit is probed (a range may hold hundreds).
  const dir = join(cacheRoot(), 'bisect-trees', commit.short);
  return {
    id: commit.short,
    title: `${commit.short} ${commit.subject}`,
    buildEnv: { CILIUM_SRC: dir },
    runEnv: { CILIUM_SRC: dir },
    buildCommand: `CILIUM_SRC=${dir} npm run images -- cilium`,
    prepare: () => exportCommit(src, commit, dir),
  };
};

function timed(command: string, args: string[], env: Record<string, string>): { status: number; ms: number } {
  const t0 = performance.now();
  const base = { ...process.env };
  // The target's own env decides the Cilium build: a CILIUM_VERSION, REF or SRC from the shell must not mix in.
  for (const k of ['CILIUM_VERSION', 'CILIUM_VERSIONS', 'CILIUM_REF', 'CILIUM_SRC']) delete base[k];
  const r = spawnSync(command, args, { stdio: 'inherit', env: { ...base, ...env } });
  return { status: r.status ?? 1, ms: performance.now() - t0 };
}

/** Builds the target's images and runs the variant on them; the verdict is kept in `dir` for the next bisect. */
function runStep(q: BisectRequest, variant: string, target: Target, dir: string): Step {
  const cached = join(dir, `${target.id}.json`);
  if (existsSync(cached)) {
    const step = JSON.parse(readFileSync(cached, 'utf8')) as Step;
    console.error(`[bisect] ${target.id}: ${step.probe.outcome} (kept from an earlier bisect: ${cached})`);
    return step;
  }
  target.prepare?.();
  console.error(`[bisect] ${target.id}: build images (${target.buildCommand})`);
  const build = timed('npx', ['tsx', 'tools/images/cli.ts', 'cilium', '--only'], target.buildEnv);
  if (build.status !== 0) {
    // Not kept: a failed build may succeed next time (proxy, disk).
    return { probe: { version: target.id, outcome: 'unknown', reason: `image build failed (exit ${build.status})` }, buildMs: build.ms, runMs: 0 };
  }
  const outcomes = join(dir, `${target.id}.jsonl`);
  rmSync(outcomes, { force: true });
  console.error(`[bisect] ${target.id}: run ${variant} (${Object.entries(target.runEnv).map(([k, v]) => `${k}=${v}`).join(' ')})`);
  const run = timed('npx', ['vitest', 'run', '--project', variant, ...(q.testFilter ? ['-t', q.testFilter] : [])], {
    ...target.runEnv, NETREPRO_OUTCOMES: outcomes,
  });
  const record = readOutcomes(outcomes).records.find((r) => r.story === q.story && r.case === q.case);
  const probe: Probe = record
    ? { version: target.id, outcome: record.observed, reason: record.message }
    : { version: target.id, outcome: 'unknown', reason: `the run (exit ${run.status}) concluded no ${q.case}` };
  const step: Step = { probe, figures: record?.figures, evidence: record?.evidence, buildMs: build.ms, runMs: run.ms };
  if (record) writeFileSync(cached, JSON.stringify(step, null, 2) + '\n');
  console.error(`[bisect] ${target.id}: ${probe.outcome} — ${probe.reason}`);
  return step;
}

/** The releases, or with --src the commits, to search; undefined (after saying why) when there are none. */
function targetsFor(q: BisectRequest): { targets: Target[]; unit: 'release' | 'commit'; scope: string } | undefined {
  if (q.src !== undefined) {
    const commits = commitsBetween(q.src, q.good, q.bad);
    console.error(`[bisect] ${commits.length} commits from ${commits[0]!.short} to ${commits.at(-1)!.short} (first parents) in ${q.src}`);
    return { targets: commits.map((c) => commitTarget(q.src!, c)), unit: 'commit', scope: `Commits of ${q.src} (first parents): ${commits.map((c) => c.short).join(', ')}.` };
  }
  const { served, refused } = servedReleases(q.good, q.bad);
  console.error(`[bisect] releases the module proxy serves between ${q.good} and ${q.bad}: ${served.join(', ') || 'none'}${refused.length ? ` (refused or absent: ${refused.length})` : ''}`);
  for (const end of [q.good, q.bad]) {
    if (!served.includes(end)) {
      console.error(`netrepro bisect: ${end} is not served by the module proxy here; choose ends among ${served.join(', ')}`);
      return undefined;
    }
  }
  return { targets: between(served, q.good, q.bad).map(releaseTarget), unit: 'release', scope: `Served between the ends: ${served.join(', ')}.` };
}

/** The whole bisect; writes reports/bisect/<story>-<case>-<variant>.md and returns the exit status. */
export async function runBisect(q: BisectRequest, variant: string): Promise<number> {
  const t0 = performance.now();
  const id = `${q.story}-${q.case}-${variant}`;
  const dir = join(reportsDir(), 'bisect', id);
  mkdirSync(dir, { recursive: true });
  const search = targetsFor(q);
  if (!search) return 2;
  const byId = new Map(search.targets.map((t) => [t.id, t]));
  const steps = new Map<string, Step>();
  const result = await bisect(search.targets.map((t) => t.id), async (v) => {
    const step = runStep(q, variant, byId.get(v)!, dir);
    steps.set(v, step);
    return step.probe;
  }, search.unit);
  const rows = result.probed.map((p) => {
    const s = steps.get(p.version)!;
    const figures = s.figures ? Object.entries(s.figures).slice(0, 6).map(([k, v]) => `${k} ${v}`).join(', ') : '';
    return `| ${byId.get(p.version)!.title} | ${p.outcome} | ${p.reason} | ${figures} | ${s.buildMs ? formatDuration(s.buildMs) : 'kept'} | ${s.runMs ? formatDuration(s.runMs) : 'kept'} | ${s.evidence ?? ''} |`;
  });
  const report = [
    `# bisect ${q.story} / ${q.case} on ${variant}, ${q.good} … ${q.bad}`,
    '',
    `**${result.summary}**`,
    '',
    `${search.scope} Probed ${result.probed.length}, in this order; total ${formatDuration(performance.now() - t0)}.`,
    '',
    `| ${search.unit} | outcome | reason | figures | build | run | evidence |`,
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  const path = join(reportsDir(), 'bisect', `${id}.md`);
  writeFileSync(path, report);
  console.log(report);
  console.error(`[bisect] written to ${path}`);
  return result.firstDifferent ? 0 : 1;
}
