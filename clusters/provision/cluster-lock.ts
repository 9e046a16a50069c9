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

const lockPath = (cluster: string, root = cacheRoot()) => join(root, 'locks', `${cluster}.json`);

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
