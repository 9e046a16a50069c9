// netrepro run <variant> --repeat N: the runs themselves, each with its own outcome log.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reportsDir } from '../../config/env.ts';
import type { OutcomeRecord } from '../../harness/outcome-log.ts';
import { readOutcomes } from '../matrix/outcomes.ts';
import { renderRepeats, summarizeRepeats } from './repeat.ts';
import { VARIANTS } from '../../clusters/index.ts';
import type { VariantName } from '../../clusters/types.ts';
import { clusterName } from '../../clusters/provision/kind-config.ts';
import { pins } from '../../config/pins.ts';
import { resolveCiliumVersion } from '../../config/versions.ts';
import { deleteCluster, listClusters } from '../../clusters/provision/kind.ts';

/** `--repeat N` taken out of a run's arguments; undefined when absent. */
export function takeRepeat(args: readonly string[]): { times: number; args: string[] } | undefined {
  const i = args.findIndex((a) => a === '--repeat' || a.startsWith('--repeat='));
  if (i < 0) return undefined;
  const inline = args[i]!.includes('=');
  const value = inline ? args[i]!.split('=')[1]! : args[i + 1] ?? '';
  if (!/^[1-9]\d*$/.test(value)) {
    console.error(`netrepro run: --repeat needs a whole number of runs (got "${value}"), e.g. --repeat 5`);
    process.exit(2);
  }
  return { times: Number(value), args: args.filter((_, k) => k !== i && (inline || k !== i + 1)) };
}

/** Runs the project `times` times, each writing its own outcome log, then writes the repeat report. */
export async function runRepeated(root: string, variant: string, times: number, args: string[]): Promise<number> {
  const dir = join(reportsDir(), 'repeat');
  mkdirSync(dir, { recursive: true });
  const exits: number[] = [];
  const cluster = clusterName(VARIANTS[variant as VariantName], resolveCiliumVersion(pins, process.env.CILIUM_VERSION));
  const existedBefore = !process.env.NETREPRO_KUBECONFIG && (await listClusters()).includes(cluster);
  const runs: OutcomeRecord[][] = [];
  for (let k = 1; k <= times; k++) {
    const outcomes = join(dir, `${variant}-${k}.jsonl`);
    rmSync(outcomes, { force: true });
    console.error(`[repeat] run ${k}/${times}: vitest --project ${variant} (outcomes ${outcomes})`);
    // Every run keeps the cluster for the next one; the one the first run made is deleted at the end.
    const env = { ...process.env, NETREPRO_OUTCOMES: outcomes, NETREPRO_KEEP: '1' };
    const r = spawnSync('npx', ['vitest', 'run', '--project', variant, ...args], { cwd: root, stdio: 'inherit', env });
    exits.push(r.status ?? 1);
    const parsed = readOutcomes(outcomes);
    for (const p of parsed.problems) console.error(`[repeat] ${p}`);
    runs.push(parsed.records);
  }
  if (!process.env.NETREPRO_KUBECONFIG && !existedBefore && !process.env.NETREPRO_KEEP && (await listClusters()).includes(cluster)) {
    console.error(`[repeat] delete cluster ${cluster} (made by the first run)`);
    await deleteCluster(cluster);
  }
  const rows = summarizeRepeats(runs);
  const report = renderRepeats(variant, times, rows, exits);
  const path = join(reportsDir(), `repeat-${variant}.md`);
  writeFileSync(path, report);
  console.log(report);
  console.error(`[repeat] written to ${path}`);
  return exits.every((e) => e === 0) && !rows.some((r) => r.flaky) ? 0 : 1;
}

