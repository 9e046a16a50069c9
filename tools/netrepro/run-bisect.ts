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
import { bisect, type Probe } from './bisect.ts';

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
}

/** One line for a request that cannot run; undefined when it can. */
export function checkRequest(q: BisectRequest): { error: string } | { variant: string } {
  const story = storyById(q.story);
  if (!story) return { error: `no story "${q.story}" (stories/<id>/)` };
  if (!(story.cases as readonly string[]).includes(q.case)) return { error: `story ${q.story} has no case "${q.case}": ${story.cases.join(', ')}` };
  for (const v of [q.good, q.bad]) if (!semver.valid(v)) return { error: `"${v}" is not a release like 1.16.4` };
  if (semver.eq(q.good, q.bad)) return { error: `--good and --bad are both ${q.good}` };
  if (semver.major(q.good) !== semver.major(q.bad)) return { error: `--good ${q.good} and --bad ${q.bad} are of different majors; bisect within one` };
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

function timed(command: string, args: string[], env: Record<string, string>): { status: number; ms: number } {
  const t0 = performance.now();
  const r = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return { status: r.status ?? 1, ms: performance.now() - t0 };
}

/** Builds the release's images and runs the variant on them; the verdict is kept in `dir` for the next bisect. */
function runStep(q: BisectRequest, variant: string, version: string, dir: string): Step {
  const cached = join(dir, `${version}.json`);
  if (existsSync(cached)) {
    const step = JSON.parse(readFileSync(cached, 'utf8')) as Step;
    console.error(`[bisect] ${version}: ${step.probe.outcome} (kept from an earlier bisect: ${cached})`);
    return step;
  }
  console.error(`[bisect] ${version}: build images (CILIUM_REF=v${version} npm run images -- cilium)`);
  const build = timed('npx', ['tsx', 'tools/images/cli.ts', 'cilium', '--only'], { CILIUM_REF: `v${version}` });
  if (build.status !== 0) {
    // Not kept: a failed build may succeed next time (proxy, disk).
    return { probe: { version, outcome: 'unknown', reason: `image build failed (exit ${build.status})` }, buildMs: build.ms, runMs: 0 };
  }
  const outcomes = join(dir, `${version}.jsonl`);
  rmSync(outcomes, { force: true });
  console.error(`[bisect] ${version}: run ${variant} (CILIUM_VERSION=${version})`);
  const run = timed('npx', ['vitest', 'run', '--project', variant, ...(q.testFilter ? ['-t', q.testFilter] : [])], {
    CILIUM_VERSION: version, NETREPRO_ANY_RELEASE: '1', NETREPRO_OUTCOMES: outcomes,
  });
  const record = readOutcomes(outcomes).records.find((r) => r.story === q.story && r.case === q.case);
  const probe: Probe = record
    ? { version, outcome: record.observed, reason: record.message }
    : { version, outcome: 'unknown', reason: `the run (exit ${run.status}) concluded no ${q.case}` };
  const step: Step = { probe, figures: record?.figures, evidence: record?.evidence, buildMs: build.ms, runMs: run.ms };
  if (record) writeFileSync(cached, JSON.stringify(step, null, 2) + '\n');
  console.error(`[bisect] ${version}: ${probe.outcome} — ${probe.reason}`);
  return step;
}

/** The whole bisect; writes reports/bisect/<story>-<case>.md and returns the exit status. */
export async function runBisect(q: BisectRequest, variant: string): Promise<number> {
  const t0 = performance.now();
  const id = `${q.story}-${q.case}-${variant}`;
  const dir = join(reportsDir(), 'bisect', id);
  mkdirSync(dir, { recursive: true });
  const { served, refused } = servedReleases(q.good, q.bad);
  console.error(`[bisect] releases the module proxy serves between ${q.good} and ${q.bad}: ${served.join(', ') || 'none'}${refused.length ? ` (refused or absent: ${refused.length})` : ''}`);
  for (const end of [q.good, q.bad]) {
    if (!served.includes(end)) {
      console.error(`netrepro bisect: ${end} is not served by the module proxy here; choose ends among ${served.join(', ')}`);
      return 2;
    }
  }
  const steps = new Map<string, Step>();
  const result = await bisect(served, q.good, q.bad, async (v) => {
    const step = runStep(q, variant, v, dir);
    steps.set(v, step);
    return step.probe;
  });
  const rows = result.probed.map((p) => {
    const s = steps.get(p.version)!;
    const figures = s.figures ? Object.entries(s.figures).slice(0, 6).map(([k, v]) => `${k} ${v}`).join(', ') : '';
    return `| ${p.version} | ${p.outcome} | ${p.reason} | ${figures} | ${s.buildMs ? formatDuration(s.buildMs) : 'kept'} | ${s.runMs ? formatDuration(s.runMs) : 'kept'} | ${s.evidence ?? ''} |`;
  });
  const report = [
    `# bisect ${q.story} / ${q.case} on ${variant}, ${q.good} … ${q.bad}`,
    '',
    `**${result.summary}**`,
    '',
    `Served between the ends: ${served.join(', ')}. Probed ${result.probed.length}, in this order; total ${formatDuration(performance.now() - t0)}.`,
    '',
    '| version | outcome | reason | figures | build | run | evidence |',
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
