import { describe, expect, test } from 'vitest';
import { finish, parseCount, quoteLine, SkipCounter, UnrecognisedInput } from './result.ts';

describe('the parser contract', () => {
  test('content with no record is an error quoting the first unrecognised line', () => {
    const counter = new SkipCounter();
    for (const line of ['', 'Error from server (NotFound): pods "x" not found', 'more']) counter.skip(line);
    expect(() => finish('iptables -S output', 'x\nmore\n', [], counter)).toThrow(UnrecognisedInput);
    expect(() => finish('iptables -S output', 'x\nmore\n', [], counter)).toThrow(
      'iptables -S output: none of 2 line(s) recognised; first: "Error from server (NotFound): pods "x" not found"',
    );
  });
  test('empty input is an empty result; partly recognised input counts its skips', () => {
    expect(finish('x', '', [], new SkipCounter())).toEqual({ records: [], skipped: { count: 0 } });
    const counter = new SkipCounter();
    counter.skip('garbage');
    expect(finish('x', 'a\ngarbage', ['a'], counter)).toEqual({ records: ['a'], skipped: { count: 1, first: 'garbage' } });
  });
  test('binary bytes are quoted printably and long lines are cut', () => {
    expect(quoteLine('\u0000\u0001ok')).toBe('??ok');
    expect(quoteLine('x'.repeat(500))).toHaveLength(161);
  });
  test('numbers that do not parse are errors', () => {
    expect(parseCount('42', 'packets')).toBe(42);
    expect(() => parseCount('4x2', 'packets')).toThrow('packets: "4x2" is not a whole number');
    expect(() => parseCount('', 'packets')).toThrow('not a whole number');
  });
});
