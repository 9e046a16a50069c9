import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { INOTIFY_MINIMUMS, inotifyShortfall } from './host-limits.ts';

describe('inotify limits for kind clusters', () => {
  test("Debian's defaults fall short on both limits", () => {
    const debian: Record<string, string> = { '/proc/sys/fs/inotify/max_user_instances': '128\n', '/proc/sys/fs/inotify/max_user_watches': '192536\n' };
    expect(inotifyShortfall((p) => debian[p]!)).toEqual(['fs.inotify.max_user_instances=8192', 'fs.inotify.max_user_watches=1048576']);
  });
  test('raised limits pass', () => {
    expect(inotifyShortfall(() => '2000000')).toEqual([]);
  });
});

describe('one source for the host limits', () => {
  const workflow = parse(readFileSync(fileURLToPath(new URL('../../.github/workflows/e2e.yml', import.meta.url)), 'utf8')) as {
    jobs: Record<string, { steps?: Array<{ name?: string; run?: string }> }>;
  };
  const runs = Object.values(workflow.jobs).flatMap((j) => j.steps ?? []).map((s) => s.run ?? '');

  test('the e2e workflow applies config/host-limits.json before the suite runs, instead of numbers of its own', () => {
    const step = runs.findIndex((r) => r.includes('config/host-limits.json') && r.includes('sysctl'));
    const suite = runs.findIndex((r) => r.includes('npx vitest run --project'));
    expect(step, 'a step applies config/host-limits.json').toBeGreaterThanOrEqual(0);
    expect(step).toBeLessThan(suite);
    expect(runs.join('\n')).not.toMatch(/fs\.inotify\.\w+=\d/);
  });

  test('the file holds the minimums the setup checks', () => {
    expect(Object.keys(INOTIFY_MINIMUMS).sort()).toEqual(['max_user_instances', 'max_user_watches']);
    expect(Object.values(INOTIFY_MINIMUMS).every((v) => v > 128)).toBe(true);
  });
});
