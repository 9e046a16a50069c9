import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { isUserError } from '../../config/errors.ts';
import { lockCluster } from './cluster-lock.ts';

describe('one run per cluster', () => {
  test('a second run is refused with one line naming the holder; after release the cluster is free', () => {
    const root = mkdtempSync(join(tmpdir(), 'netrepro-lock-'));
    const release = lockCluster('netrepro-bpf', root);
    // A live process that is not us holds it: our parent (the Vitest worker's parent is alive).
    const other = { pid: process.ppid, since: '2026-12-02T15:00:00.000Z', command: 'vitest run --project bpf' };
    release();
    const releaseOther = lockCluster('netrepro-bpf', root, other);
    const err = (() => {
      try {
        lockCluster('netrepro-bpf', root);
      } catch (e) {
        return e;
      }
    })();
    expect(isUserError(err)).toBe(true);
    expect((err as Error).message).toBe(
      `kind cluster netrepro-bpf is in use by another run (pid ${process.ppid}, since 2026-12-02T15:00:00.000Z: vitest run --project bpf): wait for it to end, or stop it`,
    );
    releaseOther();
    lockCluster('netrepro-bpf', root)();
  });

  test('a lock left by a process that is gone is taken over', () => {
    const root = mkdtempSync(join(tmpdir(), 'netrepro-lock-'));
    const gone = spawnSync(process.execPath, ['-e', 'process.pid']).pid;
    mkdirSync(join(root, 'locks'), { recursive: true });
    writeFileSync(join(root, 'locks', 'netrepro-race.json'), JSON.stringify({ pid: gone, since: 'earlier', command: 'killed run' }));
    expect(() => lockCluster('netrepro-race', root)()).not.toThrow();
  });
});
