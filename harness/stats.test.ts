import { describe, expect, test } from 'vitest';
import { CHI2_CRITICAL_P001, chiSquareUniform, fraction, fractionWhere, is2xx, round } from './stats.ts';

describe('chiSquareUniform', () => {
  test('a perfectly even split scores 0', () => {
    expect(chiSquareUniform([200, 200, 200])).toEqual({ statistic: 0, df: 2 });
  });

  test('[300,150,150] scores 75 (expected 200 each: 50 + 12.5 + 12.5)', () => {
    expect(chiSquareUniform([300, 150, 150])).toEqual({ statistic: 75, df: 2 });
  });

  test('all traffic on one of three backends (seed 004 shape) is far past the p=0.001 critical value', () => {
    const { statistic, df } = chiSquareUniform([600, 0, 0]);
    expect(statistic).toBe(1200);
    expect(statistic).toBeGreaterThan(CHI2_CRITICAL_P001[df] ?? Infinity);
  });

  test('two categories: [60, 40] scores 4 with df 1', () => {
    expect(chiSquareUniform([60, 40])).toEqual({ statistic: 4, df: 1 });
  });

  test('rejects input it cannot judge', () => {
    expect(() => chiSquareUniform([])).toThrow(/at least 2 categories/);
    expect(() => chiSquareUniform([5])).toThrow(/at least 2 categories/);
    expect(() => chiSquareUniform([0, 0, 0])).toThrow(/no observations/);
    expect(() => chiSquareUniform([3, -1, 2])).toThrow(/non-negative/);
  });
});

test('critical values at p = 0.001 match the published table', () => {
  expect(CHI2_CRITICAL_P001).toEqual({ 1: 10.828, 2: 13.816, 3: 16.266 });
});

describe('fractions', () => {
  test('fraction divides and is NaN for an empty whole, so thresholds fail closed', () => {
    expect(fraction(99, 100)).toBe(0.99);
    expect(fraction(0, 0)).toBeNaN();
    expect(fraction(0, 0) >= 0.95).toBe(false);
  });

  test('fractionWhere counts matching items', () => {
    expect(fractionWhere([200, 200, 500, 0], is2xx)).toBe(0.5);
    expect(fractionWhere([], is2xx)).toBeNaN();
  });

  test('is2xx is exactly 200..299', () => {
    expect([199, 200, 204, 299, 300, 500, 0].map(is2xx)).toEqual([false, true, true, true, false, false, false]);
  });

  test('round keeps the given digits', () => {
    expect(round(2 / 3)).toBe(0.667);
    expect(round(2 / 3, 1)).toBe(0.7);
  });
});
