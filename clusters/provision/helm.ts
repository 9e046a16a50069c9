import { INSTALL_MS } from '../../harness/timeouts.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { HelmValues } from '../types.ts';
import { run } from '../../harness/exec.ts';
import { toolPath } from '../../harness/tools.ts';

/** How long a helm call that installs nothing (a query, an uninstall) may take. */
const QUERY_MS = 30_000;

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

/**
 * Deletes a release's objects, cluster-scoped ones included, without waiting
 * for its pods to finish terminating: they go on in the background (an
 * ingress-nginx controller's graceful shutdown takes seconds a test need not wait).
 */
export async function helmUninstall(kubeconfig: string, release: string, namespace: string): Promise<void> {
  await run(toolPath('helm'), ['uninstall', release, '--namespace', namespace, '--kubeconfig', kubeconfig], { timeoutMs: QUERY_MS });
}


/**
 * The values a release was last deployed with, or `undefined` when it is not
 * installed or its last revision did not deploy (a failed upgrade must be redone).
 */
export async function deployedValues(kubeconfig: string, release: string, namespace: string): Promise<HelmValues | undefined> {
  const listed = await run(toolPath('helm'), ['list', '--namespace', namespace, '--filter', `^${release}$`, '--output', 'json', '--kubeconfig', kubeconfig], { timeoutMs: QUERY_MS });
  const releases = JSON.parse(listed.stdout || '[]') as Array<{ name: string; status: string }>;
  if (releases.find((r) => r.name === release)?.status !== 'deployed') return undefined;
  const values = await run(toolPath('helm'), ['get', 'values', release, '--namespace', namespace, '--output', 'json', '--kubeconfig', kubeconfig], { timeoutMs: QUERY_MS });
  return (JSON.parse(values.stdout || 'null') as HelmValues | null) ?? {};
}
