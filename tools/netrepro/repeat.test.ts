import { describe, expect, test } from 'vitest';
import type { OutcomeRecord } from '../../harness/outcome-log.ts';
import { renderRepeats, summarizeRepeats } from './repeat.ts';

const rec = (o: Partial<OutcomeRecord>): OutcomeRecord => ({
  at: '2026-12-02T18:00:00Z', test: 't', story: 'udp-clients', case: 'replaced-connected', variant: 'bpf', cilium: '1.20.2', kubernetes: 'v1.34.12',
  imageSource: 'local', expected: 'healthy', observed: 'healthy', verdict: 'as-expected', pass: true, message: 'm', durationMs: 1, ...o,
});

describe('summarizeRepeats', () => {
  const runs = [
    [rec({ figures: { recoveryMs: 500 } }), rec({ story: 'auth-url', case: 'default', label: 'plain-nginx', figures: { ok2xx: 120 } })],
    [rec({ figures: { recoveryMs: 900 } }), rec({ story: 'auth-url', case: 'default', label: 'plain-nginx', figures: { ok2xx: 118 } })],
    [rec({ observed: 'affected', verdict: 'regression', pass: false, figures: { recoveryMs: 31_000, firstError: 'x' } })],
  ];
  const rows = summarizeRepeats(runs);

  test('a case that flips is flaky, with its rate and the runs that failed', () => {
    expect(rows[0]).toMatchObject({ key: 'udp-clients/replaced-connected', outcomes: ['healthy', 'healthy', 'affected'], flaky: true, failedRuns: 1 });
    expect(rows[0]!.flakeRate).toBeCloseTo(1 / 3);
    expect(rows[0]!.spread).toEqual({ recoveryMs: { min: 500, median: 900, max: 31_000 } });
  });

  test('figures named per run (hits:<pod>) are left out; figures every conclusion has are spread', () => {
    const [row] = summarizeRepeats([
      [rec({ case: 'P0', figures: { chiSquare: 0.2, 'hits:backend-a': 200 } })],
      [rec({ case: 'P0', figures: { chiSquare: 1.8, 'hits:backend-b': 190 } })],
    ]);
    expect(row!.spread).toEqual({ chiSquare: { min: 0.2, median: 1, max: 1.8 } });
  });

  test('a run that did not conclude a case shows as —, and does not make it flaky', () => {
    expect(rows[1]).toMatchObject({ key: 'auth-url/default [plain-nginx]', outcomes: ['healthy', 'healthy', '—'], flaky: false, flakeRate: 0 });
  });

  test('the report lists flaky cases first', () => {
    const md = renderRepeats('bpf', 3, rows, [0, 0, 1]);
    expect(md).toContain('Exit status per run: 0, 0, 1. Flaky cases: 1 of 2.');
    expect(md.indexOf('**FLAKY**')).toBeLessThan(md.indexOf('auth-url/default'));
    expect(md).toContain('recoveryMs 500 / 900 / 31000');
  });
});
