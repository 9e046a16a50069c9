import { describe, expect, test } from 'vitest';
import { barsChart } from './bars.ts';

describe('barsChart', () => {
  const chart = barsChart({
    title: 'load', max: 1, format: (v) => `${Math.round(v * 100)}%`,
    bars: [{ label: 'a', value: 0.5, note: '300' }, { label: 'b', value: 0.25 }, { label: 'c', value: 1.5 }],
    references: [{ value: 1 / 3, label: 'even share' }],
  });

  test('bar heights follow the values, clipped to the axis', () => {
    const heights = [...chart.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)" fill="#0072B2">/g)].map((m) => Number(m[1]));
    expect(heights).toHaveLength(3);
    expect(heights[0]! / heights[1]!).toBeCloseTo(2, 1);
    expect(heights[2]).toBe(196); // the whole plot height: 1.5 is drawn as the maximum
  });

  test('notes, labels and reference lines are written', () => {
    expect(chart).toContain('>300<');
    expect(chart).toContain('even share (33%)');
    expect(chart).toContain('stroke-dasharray');
  });
});
