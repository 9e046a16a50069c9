// The detached cleanup after Ctrl-C, against stand-ins for kind and docker: node containers
// that dockerd finishes creating after the first delete are deleted too.
import { describe, expect, test } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { DETACHED_MAX_LOOKS, DETACHED_QUIET_LOOKS, detachedDeleteScript } from './kind.ts';

/** A fake docker that lists node containers on looks `from` up to (not including) `to`, counted from 0. */
function standIns(to: number, from = 0) {
  const dir = mkdtempSync(join(tmpdir(), 'netrepro-detached-'));
  const kind = join(dir, 'kind');
  const docker = join(dir, 'docker');
  writeFileSync(kind, `#!/bin/sh\necho "$@" >> ${dir}/kind.calls\n`, { mode: 0o755 });
  writeFileSync(docker, `#!/bin/sh\nn=$(cat ${dir}/looks 2>/dev/null || echo 0); echo $((n+1)) > ${dir}/looks\n[ "$n" -ge ${from} ] && [ "$n" -lt ${to} ] && echo 0123456789ab\nexit 0\n`, { mode: 0o755 });
  return { dir, kind, docker, calls: () => readFileSync(join(dir, 'kind.calls'), 'utf8').trim().split('\n') };
}

describe('detached cluster deletion', () => {
  test('deletes again while node containers keep appearing, then ends cleanly', async () => {
    const s = standIns(2);
    try {
      const r = await execa('sh', ['-c', detachedDeleteScript('netrepro-smoke', s.kind, s.docker, 0)], { reject: false });
      expect(r.exitCode).toBe(0);
      expect(s.calls()).toEqual(Array(3).fill('delete cluster --name netrepro-smoke'));
    } finally {
      rmSync(s.dir, { recursive: true, force: true });
    }
  });

  test('node containers that appear after some empty looks are deleted too (seen with the preloaded node image)', async () => {
    const s = standIns(5, 3);
    try {
      const r = await execa('sh', ['-c', detachedDeleteScript('netrepro-smoke', s.kind, s.docker, 0)], { reject: false });
      expect(r.exitCode).toBe(0);
      expect(s.calls()).toHaveLength(3);
      expect(Number(readFileSync(join(s.dir, 'looks'), 'utf8'))).toBe(5 + DETACHED_QUIET_LOOKS);
    } finally {
      rmSync(s.dir, { recursive: true, force: true });
    }
  });

  test('gives up after its bounded rounds with a non-zero exit', async () => {
    const s = standIns(1_000);
    try {
      const r = await execa('sh', ['-c', detachedDeleteScript('netrepro-smoke', s.kind, s.docker, 0)], { reject: false });
      expect(r.exitCode).toBe(1);
      expect(s.calls()).toHaveLength(1 + DETACHED_MAX_LOOKS);
    } finally {
      rmSync(s.dir, { recursive: true, force: true });
    }
  });

  test('gives the handed-over lock back when it ends', async () => {
    const s = standIns(0);
    const lock = join(s.dir, 'netrepro-smoke.json');
    writeFileSync(lock, '{}');
    try {
      const r = await execa('sh', ['-c', detachedDeleteScript('netrepro-smoke', s.kind, s.docker, 0, lock)], { reject: false });
      expect(r.exitCode).toBe(0);
      expect(existsSync(lock)).toBe(false);
    } finally {
      rmSync(s.dir, { recursive: true, force: true });
    }
  });
});
