import { describe, expect, test } from 'vitest';
import { formatDuration, parseDuration } from './duration.ts';

describe('durations as netrepro prints them', () => {
  test('parse reads back what format writes, to its precision', () => {
    for (const ms of [0, 4200, 9900, 42_000, 125_000, 3_599_000, 3_720_000]) {
      expect(formatDuration(parseDuration(formatDuration(ms))!)).toBe(formatDuration(ms));
    }
    expect(parseDuration('2m 05s')).toBe(125_000);
    expect(parseDuration('1h 02m')).toBe(3_720_000);
  });

  test('other text is not a duration', () => {
    for (const text of ['', '42', '42s', '2m5s', '1.5 min', 'done']) expect(parseDuration(text)).toBeUndefined();
  });
});
