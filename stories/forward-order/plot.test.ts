import { describe, expect, test } from 'vitest';
import { forwardOrderChart } from './plot.ts';

// Stages built here from the shape of a real run (README results), to pin the drawing.
describe('forwardOrderChart', () => {
  const chart = forwardOrderChart('story C', [
    { label: 'before', order: ['CILIUM_FORWARD', 'KUBE-FORWARD'] },
    { label: 'kube-proxy restarted', order: ['KUBE-FORWARD', 'CILIUM_FORWARD'], connections: [true, false, false], invalidDropDelta: 7 },
    { label: 'agent restarted', order: ['CILIUM_FORWARD', 'KUBE-FORWARD'], connections: [true, true, true], invalidDropDelta: 0 },
  ]);

  test('jumps in order, coloured by owner', () => {
    const boxes = [...chart.matchAll(/<rect [^>]*fill="(#[0-9A-F]{6})"><title>(\d)\. -j ([A-Z_-]+)<\/title>/g)].map((m) => `${m[2]}:${m[3]}:${m[1]}`);
    expect(boxes.slice(0, 4)).toEqual(['1:CILIUM_FORWARD:#0072B2', '2:KUBE-FORWARD:#E69F00', '1:KUBE-FORWARD:#E69F00', '2:CILIUM_FORWARD:#0072B2']);
  });

  test('one square per connection and the INVALID delta beside them', () => {
    expect(chart.match(/attempt \d+: failed/g)).toHaveLength(2);
    expect(chart.match(/attempt \d+: answered/g)).toHaveLength(4);
    expect(chart).toContain('1/3, INVALID +7');
    expect(chart).toContain('3/3, INVALID +0');
  });

  test('twenty connections and their figures fit inside the drawing', () => {
    const wide = forwardOrderChart('story C', [{ label: 'kube-proxy restarted', order: ['KUBE-FORWARD'], connections: Array(20).fill(true), invalidDropDelta: 123 }]);
    const width = Number(/<svg [^>]*width="(\d+)"/.exec(wide)?.[1]);
    const label = /<text x="(\d+(?:\.\d+)?)"[^>]*>20\/20, INVALID \+123<\/text>/.exec(wide);
    expect(label, 'the figures label').not.toBeNull();
    // 10 px font: about 6 px per character.
    expect(Number(label![1]) + '20/20, INVALID +123'.length * 6).toBeLessThanOrEqual(width);
  });
});
