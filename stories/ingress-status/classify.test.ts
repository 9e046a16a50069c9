import { describe, expect, test } from 'vitest';
import { classifyIngressStatus } from './classify.ts';
import { parseIngressWatch } from './parse.ts';
import type { AddressClasses, StatusTimeline } from './timeline.ts';
import { recordedBeside } from '../../harness/recorded.ts';

const recorded = recordedBeside(import.meta.url);

const classes: AddressClasses = { lbPool: '100.64.0.0/16', nodeIps: ['172.18.0.2'] };
const sample = (t: number, ingress: string, ...addresses: string[]) => ({ t, ingress, addresses });

describe('classifyIngressStatus', () => {
  test('seed 001 -w -A: one and three are correctly scoped and flap: affected', () => {
    const c = classifyIngressStatus({
      timeline: parseIngressWatch(recorded('kubectl-watch-ingress-all-seed001.txt')).records,
      classes, scopedNamespaces: ['one', 'three'],
    });
    expect(c.outcome).toBe('affected');
    expect(c.reason).toBe('status flips between LB and NODE addresses: one/test (5), three/test (4)');
    expect(c.figures).toEqual({
      ingresses: 2, 'transitions:one/test': 5, 'last:one/test': '100.64.0.0',
      'transitions:three/test': 4, 'last:three/test': '172.18.0.2',
    });
  });

  test('seed 001 -w in one: 7 transitions: affected', () => {
    const c = classifyIngressStatus({
      timeline: parseIngressWatch(recorded('kubectl-watch-ingress-one-seed001.txt'), { namespace: 'one' }).records,
      classes, scopedNamespaces: ['one'],
    });
    expect(c).toMatchObject({ outcome: 'affected', figures: { 'transitions:one/test': 7 } });
  });

  test('seed 001: judging only the misconfigured namespace two finds no flapping, and it sits on the node IP', () => {
    const c = classifyIngressStatus({
      timeline: parseIngressWatch(recorded('kubectl-watch-ingress-all-seed001.txt')).records, classes, scopedNamespaces: ['two'],
    });
    expect(c.outcome).toBe('inconclusive');
    expect(c.reason).toMatch(/two\/test ends on 172.18.0.2/);
  });

  const healthy: StatusTimeline = [
    sample(0, 'one/test'), sample(1, 'one/test', '100.64.0.0'),
    sample(0, 'three/test', '172.18.0.2'), sample(60_000, 'three/test', '100.64.0.2'), sample(120_000, 'three/test', '100.64.0.2'),
  ];

  test('fixed values: at most one transition each, ending on its own LB IP: healthy', () => {
    const c = classifyIngressStatus({
      timeline: healthy, classes, scopedNamespaces: ['one', 'three'], ownLbIps: { 'one/test': '100.64.0.0', 'three/test': '100.64.0.2' },
    });
    expect(c.outcome).toBe('healthy');
    expect(c.figures['transitions:three/test']).toBe(1);
  });

  test('one transition but ending on another LB IP than its own: inconclusive', () => {
    const c = classifyIngressStatus({ timeline: healthy, classes, scopedNamespaces: ['three'], ownLbIps: { 'three/test': '100.64.0.9' } });
    expect(c.outcome).toBe('inconclusive');
    expect(c.reason).toMatch(/three\/test ends on 100.64.0.2/);
  });

  test('one transition LB → NODE: not flapping, not settled: inconclusive', () => {
    const c = classifyIngressStatus({
      timeline: [sample(0, 'one/test', '100.64.0.0'), sample(1, 'one/test', '172.18.0.2')], classes, scopedNamespaces: ['one'],
    });
    expect(c.outcome).toBe('inconclusive');
  });

  test('exactly two transitions is affected', () => {
    const c = classifyIngressStatus({
      timeline: [sample(0, 'one/test', '100.64.0.0'), sample(1, 'one/test', '172.18.0.2'), sample(2, 'one/test', '100.64.0.0')],
      classes, scopedNamespaces: ['one'],
    });
    expect(c.outcome).toBe('affected');
  });

  test('an Ingress that never got an address, or none observed at all: inconclusive', () => {
    expect(classifyIngressStatus({ timeline: [sample(0, 'one/test')], classes, scopedNamespaces: ['one'] }).reason).toMatch(/ends on no address/);
    expect(classifyIngressStatus({ timeline: [], classes, scopedNamespaces: ['one'] })).toMatchObject({
      outcome: 'inconclusive', reason: 'no Ingress observed in one',
    });
  });
});
