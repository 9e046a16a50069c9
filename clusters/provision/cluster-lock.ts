import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../config/errors.ts';
import { cacheRoot } from '../../config/paths.ts';

/** Who holds a cluster: written when a run takes it, removed when the run ends. */
export interface LockHolder {
  pid: number;
  since: string;
  command: string;
}

export const lockPath = (cluster: string, root = cacheRoot()) => join(root, 'locks', `${cluster}.json`);

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Takes the cluster for this process, or refuses with one line naming the run
 * that holds it. A lock whose process is gone is taken over. Returns the release.
 */
export function lockCluster(cluster: string, root = cacheRoot(), me: LockHolder = { pid: process.pid, since: new Date().toISOString(), command: process.argv.slice(1).join(' ') }): () => void {
  const path = lockPath(cluster, root);
  mkdirSync(join(root, 'locks'), { recursive: true });
  for (;;) {
    try {
      writeFileSync(path, JSON.stringify(me), { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readHolder(path);
      if (holder && holder.pid !== me.pid && alive(holder.pid)) {
        throw new UserError(`kind cluster ${cluster} is in use by another run (pid ${holder.pid}, since ${holder.since}: ${holder.command}): wait for it to end, or stop it`);
      }
      rmSync(path, { force: true });
    }
  }
  return () => {
    if (readHolder(path)?.pid === me.pid) rmSync(path, { force: true });
  };
}

function readHolder(path: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

/** The command a detached cleanup holds a lock under; a run that meets it waits instead of refusing. */
export const CLEANUP_COMMAND = 'cleanup of an interrupted run: deleting the half-made cluster';
/** How long a new run waits for an interrupted run's cleanup (bounded rounds of kind delete). */
export const CLEANUP_WAIT_MS = 90_000;
const CLEANUP_POLL_MS = 1_000;

/**
 * Hands this run's lock to the detached cleanup process, so no new run takes the cluster
 * (and has its fresh nodes deleted) while the cleanup still deletes.
 */
export function handOverLock(cluster: string, pid: number, root = cacheRoot()): void {
  mkdirSync(join(root, 'locks'), { recursive: true });
  writeFileSync(lockPath(cluster, root), JSON.stringify({ pid, since: new Date().toISOString(), command: CLEANUP_COMMAND } satisfies LockHolder));
}

/** Waits (bounded) while an interrupted run's cleanup holds the cluster; says so once. */
export async function waitForCleanup(cluster: string, say: (line: string) => void, root = cacheRoot(), timeoutMs = CLEANUP_WAIT_MS): Promise<void> {
  const path = lockPath(cluster, root);
  const busy = () => {
    const h = readHolder(path);
    return h && h.command === CLEANUP_COMMAND && alive(h.pid) ? h : undefined;
  };
  const first = busy();
  if (!first) return;
  say(`waiting for pid ${first.pid} to finish deleting ${cluster} (${CLEANUP_COMMAND.split(':')[0]}, since ${first.since})`);
  const started = Date.now();
  while (busy()) {
    if (Date.now() - started > timeoutMs) {
      throw new UserError(`kind cluster ${cluster} is still being deleted by pid ${first.pid} after ${timeoutMs / 1000} s: check \`kind get clusters\` and \`docker ps -a\`, then remove ${path}`);
    }
    await new Promise((r) => setTimeout(r, CLEANUP_POLL_MS));
  }
}
