import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { isUserError } from './errors.ts';
import { isSourceLabel, sourceTree } from './cilium-source.ts';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'netrepro-tree-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const CILIUM = { 'go.mod': 'module github.com/cilium/cilium\n\ngo 1.22\n', VERSION: '1.16.5\n', 'pkg/a.go': 'package a\n' };

describe('a Cilium source tree (CILIUM_SRC)', () => {
  test('is labelled by its VERSION and content: <version>-src.<12 hex>', () => {
    const t = sourceTree(tree(CILIUM));
    expect(t.version).toBe('1.16.5');
    expect(t.label).toMatch(/^1\.16\.5-src\.[0-9a-f]{12}$/);
    expect(isSourceLabel(t.label)).toBe(true);
    expect(isSourceLabel('1.16.5')).toBe(false);
  });

  test('the same content gives the same label; one changed file a new one; .git and build leftovers do not count', () => {
    const a = sourceTree(tree(CILIUM)).label;
    expect(sourceTree(tree(CILIUM)).label).toBe(a);
    expect(sourceTree(tree({ ...CILIUM, 'pkg/a.go': 'package a // reverted\n' })).label).not.toBe(a);
    expect(sourceTree(tree({ ...CILIUM, '.git/HEAD': 'ref: refs/heads/main\n', 'bpf/bpf_sock.o': 'obj' })).label).toBe(a);
  });

  test('not a Cilium tree: one line naming what is missing', () => {
    const cases: Array<[string, RegExp]> = [
      [join(tmpdir(), 'netrepro-no-such-dir'), /no such directory/],
      [tree({ 'go.mod': 'module example.com/x\n', VERSION: '1.0.0\n' }), /does not declare module github\.com\/cilium\/cilium/],
      [tree({ 'go.mod': CILIUM['go.mod'] }), /no VERSION file/],
      [tree({ ...CILIUM, VERSION: 'main\n' }), /VERSION holds "main"/],
    ];
    for (const [dir, message] of cases) {
      let err: unknown;
      try {
        sourceTree(dir);
      } catch (e) {
        err = e;
      }
      expect(isUserError(err), dir).toBe(true);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toContain('\n');
    }
  });
});
