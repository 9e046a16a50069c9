import { describe, expect, test } from 'vitest';
import { leftovers, phaseAt, planRuns } from './plan.ts';

describe('interruption plan', () => {
  test('seeded: the same seed gives the same delays, within range, signals in turn', () => {
    const a = planRuns(6, ['SIGINT', 'SIGTERM', 'double-SIGINT'], { min: 5, max: 200 }, 7);
    expect(planRuns(6, ['SIGINT', 'SIGTERM', 'double-SIGINT'], { min: 5, max: 200 }, 7)).toEqual(a);
    expect(a.map((r) => r.interruption)).toEqual(['SIGINT', 'SIGTERM', 'double-SIGINT', 'SIGINT', 'SIGTERM', 'double-SIGINT']);
    expect(a.every((r) => r.delaySeconds >= 5 && r.delaySeconds <= 200)).toBe(true);
    expect(new Set(a.map((r) => r.delaySeconds)).size).toBeGreaterThan(1);
  });

  test('leftovers name what a run added or changed', () => {
    const before = { kindClusters: ['mine'], containers: ['registry'], kubeconfigHash: 'h1', currentContext: 'kind-mine' };
    expect(leftovers(before, before)).toEqual([]);
    expect(leftovers(before, { kindClusters: ['mine', 'netrepro-smoke'], containers: ['registry', 'netrepro-smoke-worker'], kubeconfigHash: 'h2', currentContext: 'kind-netrepro-smoke' })).toEqual([
      'kind cluster netrepro-smoke', 'container netrepro-smoke-worker', "the user's kubeconfig changed", 'current context changed: "kind-mine" → "kind-netrepro-smoke"',
    ]);
  });

  test('a labelled namespace left on a reused cluster is named', () => {
    const before = { kindClusters: [], containers: [], kubeconfigHash: 'h', currentContext: '', managedNamespaces: [] };
    expect(leftovers(before, { ...before, managedNamespaces: ['nr-smoke-abc123'] })).toEqual(['namespace nr-smoke-abc123']);
  });

  test('the phase is the last progress line', () => {
    expect(phaseAt('x\n[netrepro] create cluster netrepro-smoke (1+2 nodes, local images) …\n')).toBe('[netrepro] create cluster netrepro-smoke (1+2 nodes, local images) …');
    expect(phaseAt('')).toBe('(no output yet)');
  });
});
