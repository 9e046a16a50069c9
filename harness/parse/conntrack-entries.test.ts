import { describe, expect, test } from 'vitest';
import { flowsTranslatedTo, parseConntrackEntries } from './conntrack-entries.ts';
import { UnrecognisedInput } from './result.ts';
import { parseSample } from './samples.ts';

describe('parseConntrackEntries', () => {
  test('a UDP flow to a ClusterIP, DNATed to a pod, never replied (kubernetes#126130)', () => {
    const { records, skipped } = parseConntrackEntries(parseSample('conntrack-L-udp-k8s-issue126130.txt'));
    expect(skipped.count).toBe(0);
    expect(records).toEqual([{
      protocol: 'udp', secondsLeft: 30,
      original: { src: '10.11.4.5', dst: '10.12.201.0', sport: 48931, dport: 8125 },
      reply: { src: '10.11.4.22', dst: '10.11.4.5', sport: 8125, dport: 48931 },
      unreplied: true, assured: false,
    }]);
    expect(flowsTranslatedTo(records, '10.12.201.0', '10.11.4.22')).toHaveLength(1);
    expect(flowsTranslatedTo(records, '10.12.201.0', '10.11.4.23')).toHaveLength(0);
  });

  test('TCP lines with a state word, secctx= and [ASSURED] (kubernetes#93143, #101607)', () => {
    const [established] = parseConntrackEntries(parseSample('conntrack-L-tcp-k8s-issue93143.txt')).records;
    expect(established).toMatchObject({ protocol: 'tcp', state: 'ESTABLISHED', assured: true, unreplied: false, reply: { sport: 63780 } });
    const [synSent] = parseConntrackEntries(parseSample('conntrack-L-syn-sent-k8s-issue101607.txt')).records;
    expect(synSent).toMatchObject({ state: 'SYN_SENT', unreplied: true, reply: { src: '10.244.2.3' } });
  });

  test("the tool's summary line is read as the count, not skipped", () => {
    const parsed = parseConntrackEntries(`${parseSample('conntrack-L-udp-k8s-issue126130.txt')}conntrack v1.4.7 (conntrack-tools): 1 flow entries have been shown.\n`);
    expect(parsed).toMatchObject({ reportedCount: 1, skipped: { count: 0 } });
    expect(parseConntrackEntries('conntrack v1.4.7 (conntrack-tools): 0 flow entries have been shown.\n')).toMatchObject({ records: [], reportedCount: 0 });
  });

  test('empty output is an empty table', () => {
    expect(parseConntrackEntries('')).toEqual({ records: [], skipped: { count: 0 } });
  });

  test('a line cut short is skipped and counted; nothing recognised is an error', () => {
    const sample = parseSample('conntrack-L-udp-k8s-issue126130.txt');
    const cut = sample.slice(0, sample.indexOf('[UNREPLIED]'));
    expect(parseConntrackEntries(`${sample}${cut}\n`).skipped.count).toBe(1);
    expect(() => parseConntrackEntries(cut)).toThrow(UnrecognisedInput);
    expect(() => parseConntrackEntries('conntrack v1.4.7 (conntrack-tools): Operation failed: invalid parameters\n')).toThrow(UnrecognisedInput);
  });
});
