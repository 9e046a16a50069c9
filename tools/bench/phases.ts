// Reading a run's phase times back from its progress lines, and setting runs side by side.
import { existsSync, readFileSync } from 'node:fs';
import { formatDuration, parseDuration } from '../../harness/duration.ts';
import type { TimerFloor } from '../../harness/story.ts';
import { storyById } from '../../stories/index.ts';

export interface StepTime {
  /** The step as printed, e.g. "create cluster netrepro-bpf-1.20.2 (1+2 nodes, local images)". */
  step: string;
  /** The same step with names, counts and versions left out, so runs can be compared: "create cluster". */
  phase: string;
  ms: number;
}

export interface BenchRun {
  /** e.g. "plain #1". */
  label: string;
  path: string;
  steps: StepTime[];
  /** Tests by name with their duration and spec file, when the run ran them. */
  tests: Array<{ name: string; ms: number; status: string; file?: string }>;
  wallMs: number;
  /** Why the run does not count, when it failed. */
  error?: string;
}

export type TestTime = BenchRun['tests'][number];

interface VitestJson {
  /** Absent from a report cut short, or one written by something other than Vitest's JSON reporter. */
  testResults?: Array<{ name: string; assertionResults: Array<{ fullName: string; status: string; duration?: number }> }>;
}

/** The tests that ran in a Vitest JSON report (`--reporter=json`), with their spec file; none when there is no report or it lists none. */
export function readVitestTests(file: string): TestTime[] {
  if (!existsSync(file)) return [];
  const json = JSON.parse(readFileSync(file, 'utf8')) as VitestJson;
  return (json.testResults ?? [])
    .flatMap((f) => f.assertionResults.map((a) => ({ ...a, file: f.name })))
    .filter((a) => a.status !== 'skipped' && a.status !== 'pending')
    .map((a) => ({ name: a.fullName, ms: a.duration ?? 0, status: a.status, file: a.file }));
}

const DONE_LINE = /^\[netrepro\] (.+): done in (.+)$/;

/** "load 8 local images into netrepro-bpf-1.20.2" → "load local images". */
export function phaseOf(step: string): string {
  return step
    .replace(/\s*\(.*\)$/, '')
    .split(/\s+/)
    .filter((word) => !/\d/.test(word) && !word.startsWith('netrepro-'))
    .join(' ')
    .replace(/ (into|of)$/, '');
}

/** Every finished step of a run's output, in order. A done line with a duration netrepro does not write is an error. */
export function stepTimes(output: string): StepTime[] {
  const out: StepTime[] = [];
  for (const line of output.split('\n')) {
    const m = DONE_LINE.exec(line.trim());
    if (!m) continue;
    const ms = parseDuration(m[2]!);
    if (ms === undefined) throw new Error(`progress line "${line.trim()}": "${m[2]}" is not a duration as netrepro prints them`);
    out.push({ step: m[1]!, phase: phaseOf(m[1]!), ms });
  }
  return out;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Phases × runs, with a median column per path when a path ran more than once; `—` where a run had no such phase. */
export function benchTable(runs: BenchRun[]): string {
  const phases = [...new Set(runs.flatMap((r) => r.steps.map((s) => s.phase)))];
  const rows: Array<[string, (r: BenchRun) => number | undefined]> = [
    ...phases.map((p): [string, (r: BenchRun) => number | undefined] => [
      p,
      (r) => {
        const hits = r.steps.filter((s) => s.phase === p);
        return hits.length ? hits.reduce((a, s) => a + s.ms, 0) : undefined;
      },
    ]),
    ['tests (sum)', (r) => (r.tests.length ? r.tests.reduce((a, t) => a + t.ms, 0) : undefined)],
    ['whole run (wall)', (r) => r.wallMs],
  ];
  const paths = [...new Set(runs.map((r) => r.path))];
  const withMedian = paths.filter((p) => runs.filter((r) => r.path === p && !r.error).length > 1);
  const header = ['phase', ...runs.map((r) => r.label + (r.error ? ' (failed)' : '')), ...withMedian.map((p) => `${p} median`)];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  const show = (ms: number | undefined) => (ms === undefined ? '—' : formatDuration(ms));
  for (const [name, value] of rows) {
    const medians = withMedian.map((p) => {
      const xs = runs.filter((r) => r.path === p && !r.error).map(value).filter((x): x is number => x !== undefined);
      return xs.length ? median(xs) : undefined;
    });
    lines.push(`| ${[name, ...runs.map((r) => show(value(r))), ...medians.map(show)].join(' | ')} |`);
  }
  return lines.join('\n');
}

/** A test's story timer floor, found by the story folder of its spec file. */
export type FloorOf = (file: string | undefined, test: string) => TimerFloor | undefined;

export const storyFloor: FloorOf = (file, test) => {
  const id = storyOf(file);
  return id ? storyById(id)?.timerFloor?.(test) : undefined;
};

/** How many times its timer floor a test took, e.g. "1.2×". */
export const timesFloor = (ms: number, floor: TimerFloor) => `${(ms / floor.ms).toFixed(1)}×`;

/**
 * Each test's time per run, tests as rows (only for runs that ran tests), beside
 * the least time its story's timers allow and the multiple of it each run took.
 */
export function testTable(runs: BenchRun[], floorOf: FloorOf = storyFloor): string {
  const ran = runs.filter((r) => r.tests.length);
  if (!ran.length) return '';
  const names = [...new Set(ran.flatMap((r) => r.tests.map((t) => t.name)))];
  const header = ['test', 'timer floor', ...ran.map((r) => r.label)];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const name of names) {
    const file = ran.flatMap((r) => r.tests).find((t) => t.name === name)?.file;
    const floor = floorOf(file, name);
    const cells = ran.map((r) => {
      const t = r.tests.find((x) => x.name === name);
      if (!t) return '—';
      const ratio = floor ? ` (${timesFloor(t.ms, floor)})` : '';
      return `${formatDuration(t.ms)}${ratio}${t.status === 'passed' ? '' : ` (${t.status})`}`;
    });
    const floorCell = floor ? `${formatDuration(floor.ms)}: ${floor.basis}` : 'none (waits on no timer)';
    lines.push(`| ${[name, floorCell, ...cells].join(' | ')} |`);
  }
  const union = [...new Map(ran.flatMap((r) => r.tests).map((t) => [t.name, t])).values()];
  for (const whole of storyTimes(union, floorOf)) {
    if (whole.story === NO_STORY || whole.floorMs === undefined) continue;
    const floor = { ms: whole.floorMs, basis: '' };
    const inStory = (t: TestTime) => storyOfTest(t) === whole.story;
    const count = union.filter(inStory).length;
    const cells = ran.map((r) => {
      const own = r.tests.filter(inStory);
      if (own.length !== count) return '—';
      const ms = sum(own.map((t) => t.ms));
      return `${formatDuration(ms)} (${timesFloor(ms, floor)})`;
    });
    lines.push(`| **story ${whole.story}, all ${count} tests** | ${formatDuration(whole.floorMs)} (sum) | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Tests whose spec file is in no story folder. */
const NO_STORY = 'other';
export const sum = (xs: readonly number[]) => xs.reduce((a, x) => a + x, 0);

const storyOfTest = (t: TestTime) => storyOf(t.file) ?? NO_STORY;

export interface StoryTime {
  story: string;
  ms: number;
  /** Sum of its tests' timer floors, when every test has one. */
  floorMs?: number;
  failed: number;
}

/** A run's tests summed per story folder, in the order they ran. */
export function storyTimes(tests: readonly TestTime[], floorOf: FloorOf = storyFloor): StoryTime[] {
  const stories = [...new Set(tests.map(storyOfTest))];
  return stories.map((story) => {
    const own = tests.filter((t) => storyOfTest(t) === story);
    const floors = own.map((t) => floorOf(t.file, t.name));
    const time: StoryTime = { story, ms: sum(own.map((t) => t.ms)), failed: own.filter((t) => t.status !== 'passed').length };
    if (floors.every((f) => f !== undefined)) time.floorMs = sum(floors.map((f) => f!.ms));
    return time;
  });
}

/** The story folder a spec file is in: ".../stories/auth-url/x.spec.ts" → "auth-url". */
export const storyOf = (file: string | undefined) => (file ? /\/stories\/([^/]+)\//.exec(file)?.[1] : undefined);
