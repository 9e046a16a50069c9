import { describe, expect, test } from 'vitest';
import { benchTable, phaseOf, stepTimes, type BenchRun } from './phases.ts';

// Progress lines as harness/progress.ts writes them.
const OUTPUT = `
[netrepro] check docker, kind, helm, kubectl …
[netrepro] check docker, kind, helm, kubectl: done in 1.2 s
[netrepro] create cluster netrepro-bpf-1.20.2 (1+2 nodes, local images): done in 35 s
[netrepro] node image netrepro/kind-node:v1.34.12; 8 to kind load
[netrepro] load 8 local images into netrepro-bpf-1.20.2: done in 1m 39s
[netrepro] install Cilium 1.20.2: done in 20 s
[netrepro] wait for 3 nodes Ready: done in 2.0 s
 ✓ bpf stories/auth-url/auth-url.spec.ts (6 tests) 818s
[netrepro] delete cluster netrepro-bpf-1.20.2: done in 6.1 s
`;

describe('phase times from progress lines', () => {
  test('names, counts and versions are left out so runs compare', () => {
    expect(phaseOf('create cluster netrepro-bpf-1.20.2 (1+2 nodes, local images)')).toBe('create cluster');
    expect(phaseOf('load 8 local images into netrepro-bpf-1.20.2')).toBe('load local images');
    expect(phaseOf('install Cilium 1.20.2')).toBe('install Cilium');
    expect(phaseOf('wait for 3 nodes Ready')).toBe('wait for nodes Ready');
  });

  test('every done line, in order, with its duration', () => {
    expect(stepTimes(OUTPUT).map((s) => [s.phase, s.ms])).toEqual([
      ['check docker, kind, helm, kubectl', 1200],
      ['create cluster', 35_000],
      ['load local images', 99_000],
      ['install Cilium', 20_000],
      ['wait for nodes Ready', 2000],
      ['delete cluster', 6100],
    ]);
  });

  test('a done line whose duration is not ours is an error, not a zero', () => {
    expect(() => stepTimes('[netrepro] create cluster x: done in 35 seconds')).toThrow(/"35 seconds" is not a duration/);
  });
});

describe('runs side by side', () => {
  const run = (label: string, path: string, load: number | undefined, wallMs: number): BenchRun => ({
    label,
    path,
    steps: [
      { step: 'create cluster a', phase: 'create cluster', ms: 30_000 },
      ...(load === undefined ? [] : [{ step: 'load 8 local images into a', phase: 'load local images', ms: load }]),
    ],
    tests: [],
    wallMs,
  });

  test('a phase a run did not have shows as —, medians per path', () => {
    const table = benchTable([run('plain #1', 'plain', 99_000, 200_000), run('preloaded #1', 'preloaded', undefined, 120_000), run('preloaded #2', 'preloaded', undefined, 100_000), run('plain #2', 'plain', 101_000, 210_000)]);
    expect(table).toContain('| load local images | 1m 39s | — | — | 1m 41s | 1m 40s | — |');
    expect(table).toContain('| whole run (wall) | 3m 20s | 2m 00s | 1m 40s | 3m 30s | 3m 25s | 1m 50s |');
  });
});
