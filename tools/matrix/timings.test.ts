import { describe, expect, test } from 'vitest';
import { stepTimes, storyTimes } from '../bench/phases.ts';
import { timingsTable, type CellTiming } from './timings.ts';

const log = [
  '[netrepro] create cluster netrepro-bpf-1-20-2 (1+1 nodes, local images): done in 48 s',
  '[netrepro] install Cilium 1.20.2: done in 33 s',
  '[netrepro] wait for CoreDNS to answer in a pod: done in 40 s',
  '[netrepro] bring up cluster netrepro-bpf-1-20-2: done in 2m 01s',
  // A story's own Cilium install after bring-up is not a bring-up phase.
  '[netrepro] install Cilium 1.20.2: done in 50 s',
].join('\n');
const floorOf = (file: string | undefined) => (file?.includes('/stories/auth-url/') ? { ms: 110_000, basis: 'probe windows' } : undefined);
const cell: CellTiming = {
  id: 'bpf@1.20.2',
  status: 'passed',
  durationMs: 600_000,
  steps: stepTimes(log),
  tests: [
    { name: 'A default', ms: 165_000, status: 'passed', file: '/x/stories/auth-url/a.spec.ts' },
    { name: 'A host', ms: 165_000, status: 'failed', file: '/x/stories/auth-url/a.spec.ts' },
    { name: 'E one', ms: 60_000, status: 'passed', file: '/x/stories/udp-clients/e.spec.ts' },
  ],
};

describe('matrix timings', () => {
  test('stories are summed per folder, with the floor only where every test has one', () => {
    expect(storyTimes(cell.tests, floorOf)).toEqual([
      { story: 'auth-url', ms: 330_000, floorMs: 220_000, failed: 1 },
      { story: 'udp-clients', ms: 60_000, failed: 0 },
    ]);
  });

  test('one row per cell: bring-up phases from before "bring up cluster" only, stories against floors', () => {
    const table = timingsTable([cell], floorOf);
    expect(table).toContain('| bpf@1.20.2 | passed | 10m 00s | 2m 01s | 48 s | 33 s | 40 s | 6m 30s | auth-url 5m 30s (1.5×), 1 failed; udp-clients 1m 00s |');
    expect(table).toContain('Cell time adds up to 10m 00s: bring-up 2m 01s (20%), tests 6m 30s (65%), of which the stories\' timer floors 3m 40s (37%)');
  });

  test('a cell that never finished bring-up shows dashes, not zeros', () => {
    const table = timingsTable([{ id: 'cnp@1.20.2', status: 'failed', durationMs: 30_000, steps: [], tests: [] }], floorOf);
    expect(table).toContain('| cnp@1.20.2 | failed | 30 s | — | — | — | — | — | — |');
  });
});
