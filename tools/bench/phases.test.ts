import { describe, expect, test } from 'vitest';
import { benchTable, phaseOf, stepTimes, storyFloor, testTable, type BenchRun } from './phases.ts';
import { PROBE_FLOOR } from '../../stories/auth-url/probe-windows.ts';

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
    expect(phaseOf('push 8 local images to the local registry')).toBe('push local images to the local registry');
    expect(phaseOf('pull 8 local images from the local registry into netrepro-bpf-1.20.2')).toBe('pull local images from the local registry');
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

describe('test times against their story\'s timer floor', () => {
  const run = (label: string, ms: number): BenchRun => ({
    label, path: 'preloaded', steps: [], wallMs: ms,
    tests: [
      { name: 'story A default', ms, status: 'passed', file: '/x/stories/auth-url/auth-url-survives-coredns-restart.spec.ts' },
      { name: 'FORWARD chain order pod egress', ms: 55_000, status: 'passed', file: '/x/stories/forward-order/pod-egress-survives-kube-proxy-restart.spec.ts' },
    ],
  });

  test('story A\'s floor is its probe windows: 110 s', () => {
    expect(PROBE_FLOOR.ms).toBe(110_000);
    expect(storyFloor('/x/stories/auth-url/a.spec.ts', 'any')).toBe(PROBE_FLOOR);
    expect(storyFloor('/x/stories/ingress-status/a.spec.ts', 'any')?.ms).toBe(150_000);
    expect(storyFloor('/x/stories/load-balance/a.spec.ts', 'P0 phases')).toBeUndefined();
    expect(storyFloor(undefined, 'any')).toBeUndefined();
  });

  test('each run\'s time with its multiple of the floor; a test without timers says so', () => {
    const table = testTable([run('plain #1', 165_000), run('preloaded #1', 121_000)]);
    expect(table).toContain('| story A default | 1m 50s: baseline 5 s + probe 90 s (holds the 30 s cache window) + after reload 15 s | 2m 45s (1.5×) | 2m 01s (1.1×) |');
    expect(table).toContain('| FORWARD chain order pod egress | none (waits on no timer) | 55 s | 55 s |');
  });

  test('a story whose every test has a floor gets a row with their sums; one without timers gets none', () => {
    const table = testTable([run('plain #1', 165_000), run('preloaded #1', 121_000)]);
    expect(table).toContain('| **story auth-url, all 1 tests** | 1m 50s (sum) | 2m 45s (1.5×) | 2m 01s (1.1×) |');
    expect(table).not.toContain('story forward-order');
  });
});
