// netrepro bisect --src: the commits between two revisions of a Cilium tree's git history, and each as a tree on disk.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { UserError } from '../../config/errors.ts';

/** One git query answers in well under this; an export of a Cilium tree takes seconds. */
const GIT_QUERY_MS = 30_000;
const EXPORT_MS = 300_000;
/** How many hex digits name a commit in reports, labels and folders. */
export const SHORT_SHA = 12;

export interface Commit {
  sha: string;
  short: string;
  subject: string;
}

function git(src: string, args: string[]): { ok: boolean; out: string; err: string } {
  const r = spawnSync('git', ['-C', src, ...args], { encoding: 'utf8', timeout: GIT_QUERY_MS });
  return { ok: r.status === 0, out: (r.stdout ?? '').trim(), err: (r.stderr ?? '').trim().split('\n')[0] ?? '' };
}

function resolve(src: string, rev: string, flag: string): string {
  const r = git(src, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  if (!r.ok) throw new UserError(`--${flag} ${rev}: not a commit in ${src} (git rev-parse found none${r.err ? `: ${r.err}` : ''}); give a commit, tag or branch of that repository`);
  return r.out;
}

/**
 * The older end, then every commit after it up to the newer end along first
 * parents (the line a merge-based history was built on), oldest first. The
 * ends may be given in either order; one must be an ancestor of the other.
 */
export function commitsBetween(src: string, good: string, bad: string): Commit[] {
  if (!git(src, ['rev-parse', '--git-dir']).ok) {
    throw new UserError(`--src ${src}: not a git repository; bisecting commits needs the tree's history (for releases, leave --src out)`);
  }
  const g = resolve(src, good, 'good');
  const b = resolve(src, bad, 'bad');
  if (g === b) throw new UserError(`--good ${good} and --bad ${bad} are the same commit ${g.slice(0, SHORT_SHA)}`);
  const isAncestor = (a: string, d: string) => spawnSync('git', ['-C', src, 'merge-base', '--is-ancestor', a, d], { timeout: GIT_QUERY_MS }).status === 0;
  const [older, newer] = isAncestor(g, b) ? [g, b] : isAncestor(b, g) ? [b, g] : [];
  if (!older || !newer) throw new UserError(`--good ${good} and --bad ${bad}: neither is an ancestor of the other in ${src}; bisect needs two points on one line of history`);
  const log = git(src, ['log', '--first-parent', '--reverse', '--format=%H%x09%s', `${older}..${newer}`]);
  const head = git(src, ['log', '-1', '--format=%H%x09%s', older]);
  const commits = [head.out, ...log.out.split('\n')].filter(Boolean).map((line) => {
    const [sha = '', ...subject] = line.split('\t');
    return { sha, short: sha.slice(0, SHORT_SHA), subject: subject.join('\t') };
  });
  const firstParent = commits[1] && git(src, ['rev-parse', `${commits[1].sha}^1`]).out;
  if (firstParent !== older) {
    throw new UserError(`--good ${good} / --bad ${bad}: ${older.slice(0, SHORT_SHA)} is not on the first-parent line of ${newer.slice(0, SHORT_SHA)} (it came in through a merge); give the commit before that merge instead`);
  }
  return commits;
}

/** Writes the commit's files (no .git) into `dir` with `git archive`, once; the repository is only read. */
export function exportCommit(src: string, commit: Commit, dir: string): void {
  // The marker sits beside the tree: inside, it would join the tree's content hash.
  const done = `${dir}.exported`;
  if (existsSync(done)) return;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('sh', ['-c', 'git -C "$1" archive --format=tar "$2" | tar -x -C "$3" && touch "$4"', 'sh', src, commit.sha, dir, done], { encoding: 'utf8', timeout: EXPORT_MS });
  if (r.status !== 0) throw new Error(`git archive of ${commit.short} from ${src} into ${dir} failed: ${(r.stderr ?? '').trim().split('\n')[0]}`);
}
