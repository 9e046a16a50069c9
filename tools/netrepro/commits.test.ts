import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { isUserError } from '../../config/errors.ts';
import { commitsBetween, exportCommit } from './commits.ts';

/** A repository with a line of three commits and a side branch merged into it. */
function history(): { dir: string; sha: (rev: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'netrepro-commits-'));
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@localhost', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@localhost' } }).trim();
  git('init', '-q', '-b', 'main');
  const commit = (file: string, text: string, subject: string) => {
    writeFileSync(join(dir, file), text);
    git('add', '-A');
    git('commit', '-q', '-m', subject);
  };
  commit('VERSION', '1.16.4\n', 'release 1.16.4');
  git('tag', 'v1.16.4');
  commit('a.c', 'one\n', 'unrelated change');
  git('checkout', '-q', '-b', 'side');
  commit('b.c', 'side\n', 'side work');
  git('checkout', '-q', 'main');
  git('merge', '-q', '--no-ff', '-m', 'merge side', 'side');
  commit('VERSION', '1.16.5\n', 'release 1.16.5');
  git('tag', 'v1.16.5');
  return { dir, sha: (rev) => git('rev-parse', rev) };
}

describe('commits between two revisions of a tree', () => {
  let repo: ReturnType<typeof history>;
  beforeAll(() => {
    repo = history();
  });

  test('the older end, then each first-parent commit up to the newer, oldest first; either order of ends', () => {
    const subjects = commitsBetween(repo.dir, 'v1.16.4', 'v1.16.5').map((c) => c.subject);
    expect(subjects).toEqual(['release 1.16.4', 'unrelated change', 'merge side', 'release 1.16.5']);
    expect(commitsBetween(repo.dir, 'v1.16.5', 'v1.16.4').map((c) => c.subject)).toEqual(subjects);
    expect(commitsBetween(repo.dir, 'v1.16.4', 'main')[0]).toEqual({ sha: repo.sha('v1.16.4'), short: repo.sha('v1.16.4').slice(0, 12), subject: 'release 1.16.4' });
  });

  test('bad ends get one line each', () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(isUserError(e)).toBe(true);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(err(() => commitsBetween(repo.dir, 'v9.9.9', 'main'))).toMatch(/^--good v9\.9\.9: not a commit in /);
    expect(err(() => commitsBetween(repo.dir, 'main', 'v1.16.5'))).toMatch(/are the same commit/);
    expect(err(() => commitsBetween(repo.dir, 'side', 'main'))).toMatch(/is not on the first-parent line of .* \(it came in through a merge\)/);
    expect(err(() => commitsBetween(repo.dir, 'side', 'v1.16.5'))).toMatch(/is not on the first-parent line/);
    expect(err(() => commitsBetween(tmpdir(), 'a', 'b'))).toMatch(/not a git repository/);
  });

  test('a commit is written out without .git, once, and the repository is left as it was', () => {
    const [first] = commitsBetween(repo.dir, 'v1.16.4', 'v1.16.5');
    const out = join(mkdtempSync(join(tmpdir(), 'netrepro-export-')), first!.short);
    exportCommit(repo.dir, first!, out);
    expect(readFileSync(join(out, 'VERSION'), 'utf8')).toBe('1.16.4\n');
    expect(existsSync(join(out, 'a.c'))).toBe(false);
    expect(existsSync(join(out, '.git'))).toBe(false);
    writeFileSync(join(out, 'VERSION'), 'touched\n');
    exportCommit(repo.dir, first!, out);
    expect(readFileSync(join(out, 'VERSION'), 'utf8'), 'a second export of the same commit reuses the tree').toBe('touched\n');
    expect(execFileSync('git', ['-C', repo.dir, 'status', '--porcelain'], { encoding: 'utf8' })).toBe('');
  });
});
