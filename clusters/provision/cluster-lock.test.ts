import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { isUserError } from '../../config/errors.ts';
import { handOverLock, lockCluster, waitForCleanup } from './cluster-lock.ts';

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

describe('a run after an interrupted one', () => {
  test('waits while the detached cleanup holds the cluster, then takes it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'netrepro-lock-'));
    const cleanup = spawn('sleep', ['1']);
    handOverLock('netrepro-smoke', cleanup.pid!, root);
    const said: string[] = [];
    const started = Date.now();
    await waitForCleanup('netrepro-smoke', (l) => said.push(l), root, 10_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(new RegExp(`^waiting for pid ${cleanup.pid} to finish deleting netrepro-smoke`));
    lockCluster('netrepro-smoke', root)();
  });

  test('gives up with one line when the cleanup takes too long', async () => {
    const root = mkdtempSync(join(tmpdir(), 'netrepro-lock-'));
    const cleanup = spawn('sleep', ['5']);
    try {
      handOverLock('netrepro-smoke', cleanup.pid!, root);
      await expect(waitForCleanup('netrepro-smoke', () => undefined, root, 300)).rejects.toThrow(/still being deleted by pid \d+ after 0.3 s/);
    } finally {
      cleanup.kill();
    }
  });

  test('a lock held by an ordinary run is not waited for (lockCluster refuses it)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'netrepro-lock-'));
    lockCluster('netrepro-smoke', root, { pid: process.ppid, since: 'now', command: 'vitest run --project smoke' });
    const said: string[] = [];
    await waitForCleanup('netrepro-smoke', (l) => said.push(l), root, 300);
    expect(said).toEqual([]);
  });
});
