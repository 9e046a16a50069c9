import { INSTALL_MS, LOCAL_QUERY_MS, ROLLOUT_MS } from '../../harness/timeouts.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { run } from '../../harness/exec.ts';
import { kindConfigYaml, type KindConfig } from './kind-config.ts';
import { toolPath } from '../../harness/tools.ts';

export async function listClusters(): Promise<string[]> {
  const { stdout } = await run(toolPath('kind'), ['get', 'clusters'], { timeoutMs: LOCAL_QUERY_MS });
  return stdout.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('No kind clusters'));
}

export async function createCluster(config: KindConfig, kubeconfig: string): Promise<void> {
  mkdirSync(dirname(kubeconfig), { recursive: true });
  const file = join(tmpdir(), `${config.name}-kind.yaml`);
  writeFileSync(file, kindConfigYaml(config));
  await run(toolPath('kind'), ['create', 'cluster', '--config', file, '--kubeconfig', kubeconfig, '--wait', '0s'], { timeoutMs: INSTALL_MS });
}

export async function writeKubeconfig(cluster: string, kubeconfig: string): Promise<void> {
  mkdirSync(dirname(kubeconfig), { recursive: true });
  const { stdout } = await run(toolPath('kind'), ['get', 'kubeconfig', '--name', cluster], { timeoutMs: LOCAL_QUERY_MS });
  writeFileSync(kubeconfig, stdout, { mode: 0o600 });
}

export async function deleteCluster(cluster: string): Promise<void> {
  await run(toolPath('kind'), ['delete', 'cluster', '--name', cluster], { timeoutMs: ROLLOUT_MS });
}

export async function loadImages(cluster: string, images: string[]): Promise<void> {
  if (images.length === 0) return;
  await run(toolPath('kind'), ['load', 'docker-image', '--name', cluster, ...images], { timeoutMs: 900_000 });
}

/** Node container names of a kind cluster (they are also its node names). */
export async function nodeContainers(cluster: string): Promise<string[]> {
  const { stdout } = await run(toolPath('kind'), ['get', 'nodes', '--name', cluster], { timeoutMs: LOCAL_QUERY_MS });
  return stdout.split('\n').map((l) => l.trim()).filter(Boolean).sort();
}
