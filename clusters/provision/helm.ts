import { INSTALL_MS } from '../../harness/timeouts.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { HelmValues } from '../types.ts';
import { run } from '../../harness/exec.ts';
import { toolPath } from '../../harness/tools.ts';

export interface HelmRelease {
  release: string;
  namespace: string;
  /** A chart directory, a packaged chart or `repo/chart` with `repo` set. */
  chart: string;
  repo?: string;
  version?: string;
  values: HelmValues;
}

/** `helm upgrade --install` with the values written to a file; the release's own kubeconfig only. */
export async function helmUpgradeInstall(kubeconfig: string, r: HelmRelease, timeoutMs = INSTALL_MS): Promise<void> {
  const valuesFile = join(mkdtempSync(join(tmpdir(), 'netrepro-helm-')), 'values.yaml');
  writeFileSync(valuesFile, stringify(r.values));
  const args = ['upgrade', '--install', r.release, r.chart, '--namespace', r.namespace, '--create-namespace', '--values', valuesFile, '--kubeconfig', kubeconfig];
  if (r.repo) args.push('--repo', r.repo);
  if (r.version) args.push('--version', r.version);
  await run(toolPath('helm'), args, { timeoutMs });
}

export async function helmUninstall(kubeconfig: string, release: string, namespace: string): Promise<void> {
  await run(toolPath('helm'), ['uninstall', release, '--namespace', namespace, '--kubeconfig', kubeconfig, '--wait', '--timeout', '3m'], { timeoutMs: 240_000 });
}
