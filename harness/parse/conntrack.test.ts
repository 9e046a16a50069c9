import { describe, expect, test } from 'vitest';
import { conntrackDelta, parseConntrackStats } from './conntrack.ts';
import { UnrecognisedInput } from './result.ts';
import { parseSample } from './samples.ts';

describe('parseConntrackStats: per-CPU lines', () => {
  test('recorded after the INVALID reproduction: 4 + 2 invalid over 2 CPUs, the 6 packets KUBE-FORWARD dropped', () => {
    const stats = parseConntrackStats(parseSample('conntrack-S-kube-first.txt'));
    expect(stats).toMatchObject({ form: 'per-cpu', cpus: 2, skipped: { count: 0 } });
    expect(stats.totals).toEqual({
      found: 0, invalid: 6, insert: 0, insert_failed: 0, drop: 0, early_drop: 0,
      error: 0, search_restart: 0, clash_resolve: 0, chaintoolong: 0,
    });
    expect(stats.records.map((r) => [r.cpu, r.counters.invalid])).toEqual([[0, 4], [1, 2]]);
    expect(stats.toolError).toBeUndefined();
  });

  test('recorded healthy run: no invalid packets', () => {
    expect(parseConntrackStats(parseSample('conntrack-S-cilium-first.txt')).totals.invalid).toBe(0);
  });

  test('recorded without CAP_NET_ADMIN: the /proc fallback lines are read, the error line is reported', () => {
    // conntrack 1.4.7 printed its complaint first (stderr), then the /proc/net/stat/nf_conntrack lines.
    const stats = parseConntrackStats(parseSample('conntrack-S-no-cap-net-admin.txt'));
    expect(stats).toMatchObject({ form: 'per-cpu', cpus: 2 });
    expect(stats.totals).toMatchObject({ entries: 0, invalid: 6, insert_failed: 0, chainlength: 0, icmp_error: 0 });
    const complaint = 'conntrack v1.4.7 (conntrack-tools): Operation failed: sorry, you must be root or get CAP_NET_ADMIN capability to do this';
    expect(stats.toolError).toBe(complaint);
    expect(stats.skipped).toEqual({ count: 1, first: complaint });
  });

  test('entries is the table size on every CPU line: not summed', () => {
    const stats = parseConntrackStats('cpu=0   \tentries=43 invalid=1 \ncpu=1   \tentries=43 invalid=2 \n');
    expect(stats.totals).toEqual({ entries: 43, invalid: 3 });
  });

  test('delta between two readings', () => {
    const before = parseConntrackStats(parseSample('conntrack-S-cilium-first.txt')).totals;
    const after = parseConntrackStats(parseSample('conntrack-S-kube-first.txt')).totals;
    expect(conntrackDelta(before, after)).toMatchObject({ invalid: 6, drop: 0 });
    expect(conntrackDelta({}, { invalid: 3 })).toEqual({ invalid: 3 });
  });
});

describe('parseConntrackStats: one counter per line (conntrack-tools ≤ 1.4.4)', () => {
  // Upstream, kubernetes/kubernetes#56903: `kubectl exec ... -- conntrack -S` in a pod without CAP_NET_ADMIN.
  const stats = parseConntrackStats(parseSample('conntrack-S-one-per-line-k8s-issue56903.txt'));

  test('every counter is read (real, kubernetes#56903)', () => {
    expect(stats).toMatchObject({ form: 'one-per-line', cpus: 0 });
    expect(stats.records).toHaveLength(17);
    expect(stats.totals).toEqual({
      entries: 90, searched: 2228, found: 3774748, new: 132421, invalid: 1, ignore: 0, delete: 327481,
      delete_list: 327481, insert: 132421, insert_failed: 0, drop: 0, early_drop: 0, icmp_error: 0,
      expect_new: 0, expect_create: 0, expect_delete: 0, search_restart: 0,
    });
  });

  test('the CAP_NET_ADMIN failure printed after the counters, and kubectl\'s exit line, are reported', () => {
    expect(stats.toolError).toBe('conntrack v1.4.4 (conntrack-tools): Operation failed: sorry, you must be root or get CAP_NET_ADMIN capability to do this');
    expect(stats.skipped).toEqual({ count: 2, first: stats.toolError });
  });

  test('a counter printed twice, or both forms in one text, is an error', () => {
    expect(() => parseConntrackStats('invalid   \t\t1\ninvalid   \t\t2')).toThrow('counter "invalid" printed twice');
    expect(() => parseConntrackStats('entries   \t\t90\ncpu=0   \tfound=0 invalid=4 ')).toThrow('mixes per-CPU lines and one-counter-per-line lines');
  });
});

describe('parseConntrackStats: input it does not understand', () => {
  test('only the tool\'s error (real, DataDog integrations-core#5069): an error quoting it, not zero counters', () => {
    const text = parseSample('conntrack-S-error-only-datadog-pr5069.txt');
    expect(() => parseConntrackStats(text)).toThrow(UnrecognisedInput);
    expect(() => parseConntrackStats(text)).toThrow(
      'conntrack -S output: none of 1 line(s) recognised; first: "conntrack v1.4.5 (conntrack-tools): Operation failed: sorry, you must be root or get CAP_NET_ADMIN capability to do this"',
    );
    // The tool's line is the one quoted even when other noise comes first.
    expect(() => parseConntrackStats(`command terminated with exit code 1\n${text}`)).toThrow('first: "conntrack v1.4.5 (conntrack-tools)');
  });

  test('prose, a kubectl error, binary bytes: an error quoting the first line', () => {
    expect(() => parseConntrackStats('Connection tracking looks fine.')).toThrow('first: "Connection tracking looks fine."');
    expect(() => parseConntrackStats('Error from server (NotFound): pods "kube-proxy-x" not found'))
      .toThrow('none of 1 line(s) recognised; first: "Error from server (NotFound): pods "kube-proxy-x" not found"');
    expect(() => parseConntrackStats('\u0000\u0001\u0002\u0003')).toThrow(UnrecognisedInput);
    expect(() => parseConntrackStats('invalid=9')).toThrow('first: "invalid=9"');
  });

  test('a line cut short or a number that does not parse is an error, not NaN or a dropped field', () => {
    expect(() => parseConntrackStats('cpu=0   \tfound=0 invalid=4 insert=0 insert_fa')).toThrow('"insert_fa" is not name=value');
    expect(() => parseConntrackStats('cpu=0   \tfound=0 invalid=')).toThrow('invalid in "cpu=0');
    expect(() => parseConntrackStats('cpu=0   \tfound=0 invalid=4x')).toThrow('"4x" is not a whole number');
    expect(() => parseConntrackStats('cpu=0')).toThrow('a CPU line without counters');
    expect(() => parseConntrackStats('cpu=x   \tfound=0')).toThrow('"x" is not a whole number');
    expect(() => parseConntrackStats('insert_failed   \t\t12ab')).toThrow('insert_failed: "12ab" is not a whole number');
  });

  test('partly recognised input counts what it skipped', () => {
    const stats = parseConntrackStats('cpu=0   \tfound=0 invalid=4 \nsome other words here\n');
    expect(stats.totals.invalid).toBe(4);
    expect(stats.skipped).toEqual({ count: 1, first: 'some other words here' });
  });

  test('empty input is an empty result', () => {
    expect(parseConntrackStats('')).toEqual({ records: [], skipped: { count: 0 }, cpus: 0, totals: {} });
    expect(parseConntrackStats('\n  \n')).toEqual({ records: [], skipped: { count: 0 }, cpus: 0, totals: {} });
  });
});
