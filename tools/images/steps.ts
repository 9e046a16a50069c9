import { formatDuration } from '../../harness/duration.ts';
import { pins as defaultPins, type Pins } from '../../config/pins.ts';
import { isStepDone, keyOf, markStepDone } from './cache.ts';
import { Runner, StepError } from './run.ts';
import { localTags } from '../../config/image-tags.ts';

export interface StepContext {
  pins: Pins;
  tags: ReturnType<typeof localTags>;
  r: Runner;
}

/**
 * One unit of `npm run images`: it builds one thing, from inputs that its key
 * hashes. A finished step leaves a marker (steps/<name>.json) with its key; the
 * next run skips it while the key is the same and `present()` (if given) still
 * finds its output, e.g. `docker image inspect`.
 */
export interface Step {
  name: string;
  /** What it builds, one line, for --help and progress. */
  summary: string;
  deps: string[];
  /** Inputs that shape the output; the step reruns when they change. */
  inputs(p: Pins): unknown;
  /** Checks that the output still exists (e.g. the image is in docker). */
  present?(ctx: StepContext, key: string): Promise<boolean>;
  /**
   * `present()` compares the build key itself (images labelled netrepro.key),
   * so a found output counts as done even without a marker (e.g. a fresh
   * cache dir next to a docker that already has the images).
   */
  presentChecksKey?: boolean;
  run(ctx: StepContext, key: string): Promise<void>;
}

export function stepKey(step: Step, p: Pins): string {
  return keyOf(step.name, step.inputs(p));
}

/** Steps in dependency order that `selected` needs (all of them when empty). */
export function plan(all: Step[], selected: string[], withDeps: boolean): Step[] {
  const byName = new Map(all.map((s) => [s.name, s]));
  for (const name of selected) {
    if (!byName.has(name)) throw new Error(`unknown step "${name}"; known: ${all.map((s) => s.name).join(', ')}`);
  }
  if (selected.length === 0) return all;
  const want = new Set<string>();
  const visit = (name: string): void => {
    if (want.has(name)) return;
    want.add(name);
    if (withDeps) for (const d of byName.get(name)!.deps) visit(d);
  };
  selected.forEach(visit);
  return all.filter((s) => want.has(s.name));
}

const fmt = (seconds: number) => formatDuration(seconds * 1000);

export interface StepReport {
  name: string;
  status: 'built' | 'cached';
  seconds: number;
}

export async function runSteps(steps: Step[], opts: { force?: boolean; pins?: Pins } = {}): Promise<StepReport[]> {
  const p = opts.pins ?? defaultPins;
  const tags = localTags(p);
  const reports: StepReport[] = [];
  for (const step of steps) {
    const key = stepKey(step, p);
    const r = new Runner(step.name);
    const ctx: StepContext = { pins: p, tags, r };
    const started = performance.now();
    try {
      const marked = isStepDone(step.name, key);
      const present = step.present ? await step.present(ctx, key) : marked;
      if (!opts.force && present && (marked || step.presentChecksKey)) {
        const s = (performance.now() - started) / 1000;
        console.log(`✓ ${step.name.padEnd(14)} cached  (${step.summary}) ${fmt(s)}`);
        reports.push({ name: step.name, status: 'cached', seconds: s });
        continue;
      }
      console.log(`▶ ${step.name.padEnd(14)} building: ${step.summary}  [key ${key}, log ${r.logFile}]`);
      r.note(`step ${step.name} key ${key} started ${new Date().toISOString()}`);
      await step.run(ctx, key);
      const s = (performance.now() - started) / 1000;
      markStepDone(step.name, key, s);
      console.log(`✓ ${step.name.padEnd(14)} built in ${fmt(s)}`);
      reports.push({ name: step.name, status: 'built', seconds: s });
    } catch (err) {
      if (err instanceof StepError) throw err;
      const msg = err instanceof Error ? err.message : String(err);
      throw new StepError(step.name, '(step code)', undefined, [msg.split('\n')[0] ?? msg], r.logFile);
    } finally {
      await r.close();
    }
  }
  return reports;
}

export { fmt as formatSeconds };
