import { describe, expect, test } from 'vitest';
import { conntrackDelta, parseConntrackStats } from './conntrack.ts';
import { parseSample } from './samples.ts';

describe('parseConntrackStats', () => {
  test('recorded after the INVALID reproduction: 4 + 2 invalid over 2 CPUs, the 6 packets KUBE-FORWARD dropped', () => {
    const { cpus, totals } = parseConntrackStats(parseSample('conntrack-S-kube-first.txt'));
    expect(cpus).toBe(2);
    expect(totals).toEqual({
      found: 0, invalid: 6, insert: 0, insert_failed: 0, drop: 0, early_drop: 0,
      error: 0, search_restart: 0, clash_resolve: 0, chaintoolong: 0,
    });
  });

  test('recorded healthy run: no invalid packets', () => {
    expect(parseConntrackStats(parseSample('conntrack-S-cilium-first.txt')).totals.invalid).toBe(0);
  });

  test('delta between two readings', () => {
    const before = parseConntrackStats(parseSample('conntrack-S-cilium-first.txt')).totals;
    const after = parseConntrackStats(parseSample('conntrack-S-kube-first.txt')).totals;
    expect(conntrackDelta(before, after)).toMatchObject({ invalid: 6, drop: 0 });
    expect(conntrackDelta({}, { invalid: 3 })).toEqual({ invalid: 3 });
  });

  test('empty input and non-cpu lines give zero CPUs', () => {
    expect(parseConntrackStats('')).toEqual({ cpus: 0, totals: {} });
    expect(parseConntrackStats('conntrack v1.4.7 (conntrack-tools): error\ninvalid=9')).toEqual({ cpus: 0, totals: {} });
  });
});
