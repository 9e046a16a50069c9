import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { checkoutOld } from './old-code.ts';

const git = (repo: string, ...args: string[]) => execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@localhost', ...args], { encoding: 'utf8' }).trim();

describe('the old code a bench compares against', () => {
  let repo: string;
  let savedCache: string | undefined;
  beforeEach(() => {
    const root = mkdtempSync(join(tmpdir(), 'netrepro-old-code-'));
    repo = join(root, 'repo');
    mkdirSync(join(repo, 'node_modules'), { recursive: true });
    writeFileSync(join(repo, '.gitignore'), 'node_modules\n');
    writeFileSync(join(repo, 'package-lock.json'), '{"lockfileVersion":3}\n');
    writeFileSync(join(repo, 'spec.ts'), 'old\n');
    git(repo, 'init', '-q');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'old');
    savedCache = process.env.NETREPRO_CACHE;
    process.env.NETREPRO_CACHE = join(root, 'cache');
  });
  afterEach(() => {
    if (savedCache === undefined) delete process.env.NETREPRO_CACHE;
    else process.env.NETREPRO_CACHE = savedCache;
  });

  test('a commit is checked out beside the checkout, shares its node_modules, and goes afterwards', async () => {
    const sha = git(repo, 'rev-parse', 'HEAD');
    writeFileSync(join(repo, 'spec.ts'), 'new\n');
    git(repo, 'commit', '-qam', 'new');
    const old = await checkoutOld(repo, 'HEAD~1');
    expect(old.sha).toBe(sha);
    expect(execFileSync('cat', [join(old.dir, 'spec.ts')], { encoding: 'utf8' })).toBe('old\n');
    expect(realpathSync(join(old.dir, 'node_modules'))).toBe(realpathSync(join(repo, 'node_modules')));
    await old.remove();
    expect(existsSync(old.dir)).toBe(false);
  });

  test('a ref that is no commit is one line naming it', async () => {
    await expect(checkoutOld(repo, 'no-such-branch')).rejects.toThrow(/--compare no-such-branch: not a commit of/);
  });

  test('other dependencies cannot share node_modules', async () => {
    writeFileSync(join(repo, 'package-lock.json'), '{"lockfileVersion":3,"packages":{}}\n');
    git(repo, 'commit', '-qam', 'deps');
    await expect(checkoutOld(repo, 'HEAD~1')).rejects.toThrow(/package-lock.json differs/);
  });
});
