import { describe, expect, test } from 'vitest';
import { badgeFor, reportBadges } from './badges.ts';
import { buildCells } from './cells.ts';
import { buildReport, type EntryVerdict, type MatrixEntry } from './report.ts';
import type { OutcomeRecord } from '../../harness/outcome-log.ts';

const entry = (verdict: EntryVerdict, over: Partial<MatrixEntry> = {}): MatrixEntry => ({
  cell: 'bpf@1.20.2', story: 'auth-url', case: 'default', variant: 'bpf', cilium: '1.20.2', expected: 'healthy',
  observedCounts: {}, verdict, pass: !['regression', 'unexpected', 'fixed-upstream', 'inconclusive', 'no-outcome'].includes(verdict), messages: [], evidence: [], ...over,
});

describe('shields.io endpoint badges', () => {
  test('green when every concluded case matches its expectation; observed-only cases are counted apart', () => {
    expect(badgeFor('auth-url', [entry('as-expected'), entry('as-expected'), entry('not-run')])).toEqual({
      schemaVersion: 1, label: 'auth-url', message: '2/2 as expected', color: 'brightgreen',
    });
    expect(badgeFor('forward-order', [entry('as-expected'), entry('observed-only')]).message).toBe('1/1 as expected, 1 observed');
    expect(badgeFor('x', [entry('observed-only')])).toMatchObject({ message: '1 observed', color: 'brightgreen' });
  });

  test('red on a regression, whatever else happened', () => {
    expect(badgeFor('auth-url', [entry('as-expected'), entry('inconclusive'), entry('regression'), entry('regression')])).toEqual({
      schemaVersion: 1, label: 'auth-url', message: '2 regressions', color: 'red',
    });
    expect(badgeFor('x', [entry('unexpected')])).toMatchObject({ message: '1 unexpected', color: 'red' });
  });

  test('yellow on inconclusive, fixed upstream? or a cell that died before concluding', () => {
    expect(badgeFor('auth-url', [entry('as-expected'), entry('fixed-upstream'), entry('inconclusive'), entry('no-outcome')])).toEqual({
      schemaVersion: 1, label: 'auth-url', message: '1 fixed upstream?, 1 inconclusive, 1 no outcome', color: 'yellow',
    });
  });

  test('grey when nothing concluded', () => {
    expect(badgeFor('cilium 1.18.11', [entry('not-run')])).toEqual({ schemaVersion: 1, label: 'cilium 1.18.11', message: 'no data', color: 'lightgrey' });
    expect(badgeFor('x', []).color).toBe('lightgrey');
  });

  test('one badge per story, one per pinned Cilium version, one overall; valid endpoint JSON', () => {
    const cells = buildCells({ cilium: { versions: { '1.19': '1.19.8', '1.20': '1.20.2' } } });
    const rec = (o: Partial<OutcomeRecord>): OutcomeRecord => ({
      at: '2026-11-22T11:00:00Z', test: 't', kubernetes: 'v1.34.12', imageSource: 'upstream', message: 'm', durationMs: 1,
      story: 'auth-url', case: 'default', variant: 'bpf', expected: 'healthy', observed: 'healthy', verdict: 'as-expected', pass: true, ...o,
    });
    const runs = cells.filter((c) => ['bpf', 'smoke'].includes(c.variant)).map((cell) => ({ cell, status: 'passed' as const }));
    const report = buildReport(runs, [
      rec({ cilium: '1.20.2' }),
      rec({ cilium: '1.19.8', observed: 'affected', verdict: 'regression', pass: false }),
      rec({ story: 'harness', case: 'nodes', variant: 'smoke' }),
    ]);
    const badges = reportBadges(report);
    expect(Object.keys(badges).sort()).toEqual(['cilium-1.19.json', 'cilium-1.20.json', 'overall.json', 'story-auth-url.json', 'story-harness.json', 'story-udp-clients.json']);
    expect(badges['cilium-1.19.json']).toMatchObject({ label: 'cilium 1.19.8', color: 'red', message: '1 regression' });
    expect(badges['cilium-1.20.json']).toMatchObject({ color: 'brightgreen', message: '1/1 as expected' });
    expect(badges['story-harness.json']).toMatchObject({ label: 'harness', color: 'brightgreen' });
    expect(badges['overall.json']!.color).toBe('red');
    for (const b of Object.values(badges)) expect(Object.keys(b).sort()).toEqual(['color', 'label', 'message', 'schemaVersion']);
  });
});
