import { describe, expect, test } from 'vitest';
import { lanesChart } from './lanes.ts';
import { PALETTE } from './svg.ts';

describe('lanes chart', () => {
  const chart = lanesChart({
    title: 'status per request <after restart>',
    lanes: ['200', '500', 'no answer'],
    durationMs: 90_000,
    marks: [
      { lane: '200', t: 0, color: PALETTE.blue },
      { lane: '500', t: 45_000, color: PALETTE.vermillion, title: 'GET / → 500' },
    ],
    spans: [{ lane: 'no answer', from: 30_000, to: 200_000, color: PALETTE.grey }],
    moments: [{ t: 30_000, label: 'cache window ends' }],
    legend: [{ label: '2xx', color: PALETTE.blue }],
  });

  test('is one standalone SVG document with escaped text', () => {
    expect(chart.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(chart).toContain('status per request &lt;after restart&gt;');
    expect(chart).not.toContain('<after');
  });

  test('places marks by time and clamps spans to the axis', () => {
    // left 100 (short labels), plot width 780: 45 s of 90 s is x = 490 (the tick is drawn 1 px to its left)
    expect(chart).toContain('<rect x="489" y="74"');
    expect(chart).toMatch(/<rect x="360" y="101" width="520"/);
    expect(chart).toContain('cache window ends');
    expect(chart).toContain('<title>GET / → 500</title>');
  });
});
