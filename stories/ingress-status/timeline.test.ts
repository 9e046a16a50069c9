import { describe, expect, test } from 'vitest';
import { parseIngressWatch } from './parse.ts';
import { classifyAddress, classifyAddresses, transitions, type AddressClasses } from './timeline.ts';
import { recordedBeside } from '../../harness/recorded.ts';

const recorded = recordedBeside(import.meta.url);

// Seed 001: MetalLB pool 100.64.0.0/16; the only node's INTERNAL-IP column.
const nodeIps = recorded('kubectl-get-nodes-seed001.txt').trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/)[5] ?? '');
const classes: AddressClasses = { lbPool: '100.64.0.0/16', nodeIps };

describe('classifyAddress', () => {
  test('seed 001 node IP is 172.18.0.2', () => {
    expect(nodeIps).toEqual(['172.18.0.2']);
  });

  test('pool CIDR, node IP, anything else', () => {
    expect(classifyAddress('100.64.0.0', classes)).toBe('LB');
    expect(classifyAddress('100.64.0.2', classes)).toBe('LB');
    expect(classifyAddress('172.18.0.2', classes)).toBe('NODE');
    expect(classifyAddress('172.18.0.3', classes)).toBe('OTHER');
    expect(classifyAddress('lb.example.test', classes)).toBe('OTHER');
  });

  test('MetalLB range form and several pools', () => {
    const range = { lbPool: ['172.18.255.200-172.18.255.250', '100.64.0.0/30'], nodeIps: ['172.18.0.2'] };
    expect(classifyAddress('172.18.255.200', range)).toBe('LB');
    expect(classifyAddress('172.18.255.251', range)).toBe('OTHER');
    expect(classifyAddress('100.64.0.3', range)).toBe('LB');
    expect(classifyAddress('100.64.0.4', range)).toBe('OTHER');
    expect(classifyAddress('fd00::5', { lbPool: 'fd00::/120', nodeIps: [] })).toBe('LB');
  });

  test('a pool that is neither CIDR nor range is an error naming it', () => {
    expect(() => classifyAddress('100.64.0.1', { lbPool: 'metallb-pool', nodeIps: [] })).toThrow(/metallb-pool/);
  });

  test('a list of addresses is LB or NODE only when all agree', () => {
    expect(classifyAddresses(['100.64.0.0', '100.64.0.1'], classes)).toBe('LB');
    expect(classifyAddresses(['100.64.0.0', '172.18.0.2'], classes)).toBe('OTHER');
  });
});

describe('transitions', () => {
  test('seed 001 -w in namespace one: 8 samples alternating, 7 LB↔NODE changes', () => {
    const h = transitions(parseIngressWatch(recorded('kubectl-watch-ingress-one-seed001.txt'), { namespace: 'one' }).records, classes);
    expect([...h.keys()]).toEqual(['one/test']);
    expect(h.get('one/test')).toEqual({
      ingress: 'one/test', transitions: 7, samples: 8, last: ['172.18.0.2'],
      classes: ['LB', 'NODE', 'LB', 'NODE', 'LB', 'NODE', 'LB', 'NODE'],
    });
  });

  test('seed 001 -w -A: one flips 5 times, three 4 times, two stays on the node IP', () => {
    const h = transitions(parseIngressWatch(recorded('kubectl-watch-ingress-all-seed001.txt')).records, classes);
    expect([...h.values()].map((x) => [x.ingress, x.transitions, x.last.join()])).toEqual([
      ['one/test', 5, '100.64.0.0'],
      ['three/test', 4, '172.18.0.2'],
      ['two/test', 0, '172.18.0.2'],
    ]);
  });

  test('empty statuses, repeats and OTHER values are not transitions', () => {
    const h = transitions([
      { t: 0, ingress: 'a/x', addresses: [] },
      { t: 1, ingress: 'a/x', addresses: ['100.64.0.1'] },
      { t: 2, ingress: 'a/x', addresses: ['100.64.0.1'] },
      { t: 3, ingress: 'a/x', addresses: [] },
      { t: 4, ingress: 'a/x', addresses: ['100.64.0.1'] },
      { t: 5, ingress: 'a/x', addresses: ['10.1.1.1'] },
      { t: 6, ingress: 'a/x', addresses: ['100.64.0.1'] },
      { t: 7, ingress: 'a/x', addresses: ['10.1.1.1'] },
      { t: 8, ingress: 'a/x', addresses: ['172.18.0.2'] },
    ], classes);
    expect(h.get('a/x')).toMatchObject({ transitions: 1, samples: 9, classes: ['LB', 'OTHER', 'LB', 'OTHER', 'NODE'], last: ['172.18.0.2'] });
  });

  test('an empty timeline has no histories', () => {
    expect(transitions([], classes).size).toBe(0);
  });
});
