import { describe, expect, test } from 'vitest';
import { parseGoDuration } from './grace.ts';

describe('parseGoDuration', () => {
  test('the forms Go prints', () => {
    expect(parseGoDuration('60s')).toBe(60_000);
    expect(parseGoDuration('1m0s')).toBe(60_000);
    expect(parseGoDuration('1m30s')).toBe(90_000);
    expect(parseGoDuration('500ms')).toBe(500);
    expect(parseGoDuration('0')).toBe(0);
  });
  test('anything else is an error naming the text', () => {
    expect(() => parseGoDuration('sixty')).toThrow(/"sixty" is not a duration/);
    expect(() => parseGoDuration('60')).toThrow(/not a duration/);
    expect(() => parseGoDuration('60s junk')).toThrow(/not a duration/);
  });
});
