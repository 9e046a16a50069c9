// The code a benchmark compares against: a detached git worktree of an earlier
// commit beside the checkout, sharing its node_modules, removed after the bench.
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../../config/paths.ts';
import { UserError } from '../../config/errors.ts';
import { run } from '../../harness/exec.ts';

/** How long a git call may take. */
const GIT_MS = 60_000;

export interface OldCode {
  sha: string;
  dir: string;
  remove: () => Promise<void>;
}

/** Checks out `ref` of the repository at `repo` into the cache; its dependencies must be the checkout's. */
export async function checkoutOld(repo: string, ref: string): Promise<OldCode> {
  const resolved = await run('git', ['-C', repo, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { timeoutMs: GIT_MS }).catch(() => undefined);
  const sha = resolved?.stdout.trim();
  if (!sha) throw new UserError(`--compare ${ref}: not a commit of ${repo} (git rev-parse found nothing): give a commit, tag or branch, e.g. --compare HEAD~1`);
  const lockNow = readFileSync(join(repo, 'package-lock.json'), 'utf8');
  const lockThen = (await run('git', ['-C', repo, 'show', `${sha}:package-lock.json`], { timeoutMs: GIT_MS })).stdout;
  if (lockNow.trim() !== lockThen.trim()) {
    throw new UserError(`--compare ${ref}: its package-lock.json differs from the checkout's, so the two cannot share node_modules: compare against a commit with the same dependencies`);
  }
  const dir = join(cacheRoot(), 'bench-trees', sha.slice(0, 12));
  mkdirSync(join(cacheRoot(), 'bench-trees'), { recursive: true });
  if (!existsSync(dir)) await run('git', ['-C', repo, 'worktree', 'add', '--detach', dir, sha], { timeoutMs: GIT_MS });
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
  return {
    sha,
    dir,
    remove: async () => {
      await run('git', ['-C', repo, 'worktree', 'remove', '--force', dir], { timeoutMs: GIT_MS });
    },
  };
}
