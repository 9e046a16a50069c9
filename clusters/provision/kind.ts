import { execFileSync, spawn } from 'node:child_process';
import { INSTALL_MS, LOCAL_QUERY_MS, ROLLOUT_MS } from '../../harness/timeouts.ts';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { run } from '../../harness/exec.ts';
import { kindConfigYaml, type KindConfig } from './kind-config.ts';
import { toolPath } from '../../harness/tools.ts';
import { handOverLock, lockPath } from './cluster-lock.ts';

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
  thawFrozenNodeCgroups(cluster);
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

/** How often the detached cleanup looks for the cluster's node containers after its first delete, at most. */
export const DETACHED_MAX_LOOKS = 40;
/** Looks in a row that find no node container before the cleanup trusts the cluster is gone. */
export const DETACHED_QUIET_LOOKS = 15;
/** Between looks: a `kind create` killed mid-way may still have container creations in flight at dockerd. */
const DETACHED_SETTLE_S = 2;

/**
 * The cleanup script: delete the cluster, then look again every few seconds and
 * delete again whenever its node containers appear, until none has been seen
 * for DETACHED_QUIET_LOOKS looks in a row (30 s), at most DETACHED_MAX_LOOKS looks
 * (80 s, inside the 90 s a new run waits for it). Seen here: SIGTERM 11 s into
 * `kind create` deleted nothing, then dockerd finished creating the three nodes;
 * with the preloaded node image (2.7 GB copied into each node's /var volume)
 * they appeared after the cleanup had already looked, found none and ended.
 */
export function detachedDeleteScript(cluster: string, kind: string, docker: string, settleSeconds: number = DETACHED_SETTLE_S, lockFile?: string): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const del = `${q(kind)} delete cluster --name ${q(cluster)} >/dev/null 2>&1`;
  return [
    // The lock was handed to this script: give it back however the script ends.
    ...(lockFile ? [`trap "rm -f ${q(lockFile)}" EXIT`] : []),
    del,
    'quiet=0',
    `for look in $(seq ${DETACHED_MAX_LOOKS}); do`,
    `  sleep ${settleSeconds}`,
    `  if [ -n "$(${q(docker)} ps -aq --filter label=io.x-k8s.kind.cluster=${q(cluster)})" ]; then`,
    `    ${del}`,
    '    quiet=0',
    '  else',
    '    quiet=$((quiet + 1))',
    `    [ "$quiet" -ge ${DETACHED_QUIET_LOOKS} ] && exit 0`,
    '  fi',
    'done',
    'exit 1',
  ].join('\n');
}

/**
 * Starts the cluster's deletion in its own process group, so it finishes even
 * when this process is about to exit (Ctrl-C): a child of ours would be killed
 * with us and leave the half-made cluster behind. Resolves when it ends.
 */
export function deleteClusterDetached(cluster: string): Promise<void> {
  thawFrozenNodeCgroups(cluster);
  const lock = lockPath(cluster);
  const child = spawn('sh', ['-c', detachedDeleteScript(cluster, toolPath('kind'), toolPath('docker'), DETACHED_SETTLE_S, lock)], { detached: true, stdio: 'ignore' });
  if (child.pid) handOverLock(cluster, child.pid);
  child.unref();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
}

/** cgroup v1 freezer hierarchy, where a container's processes are frozen while runc sets it up. */
const FREEZER_ROOT = '/sys/fs/cgroup/freezer/docker';

/**
 * Thaws what an interrupted start left frozen inside a cluster's node
 * containers. Seen here: Ctrl-C while images were being loaded left a pod's
 * runc init in a FROZEN freezer cgroup, docker could not kill the node, and
 * `kind delete` failed. Best effort, and only on hosts with the v1 freezer.
 */
export function thawFrozenNodeCgroups(cluster: string): void {
  if (!existsSync(FREEZER_ROOT)) return;
  let ids: string[] = [];
  try {
    ids = execFileSync(toolPath('docker'), ['ps', '-q', '--no-trunc', '--filter', `label=io.x-k8s.kind.cluster=${cluster}`], { encoding: 'utf8', timeout: LOCAL_QUERY_MS }).split('\n').filter(Boolean);
  } catch {
    return;
  }
  const thaw = (dir: string) => {
    const state = join(dir, 'freezer.state');
    try {
      if (readFileSync(state, 'utf8').trim() !== 'THAWED') writeFileSync(state, 'THAWED');
      for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) thaw(join(dir, e.name));
    } catch {
      // Gone meanwhile, or not ours to write: the delete reports what is left.
    }
  };
  for (const id of ids) thaw(join(FREEZER_ROOT, id));
}
