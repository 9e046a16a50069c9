import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildCells, type Cell } from './cells.ts';
import { cellResult, collectArtifacts, statusFromStepOutcome } from './ci.ts';
import { parseOutcomes } from './outcomes.ts';
import { buildReport, entryText, formatDuration, renderMarkdown, summarizeOutcomes, type CellRun } from './report.ts';
import { harnessSelfCheck } from '../../stories/harness/story.ts';

const PINS = { cilium: { versions: { '1.18': '1.18.11', '1.19': '1.19.8', '1.20': '1.20.2' } } };
const CELLS = buildCells(PINS);
const cell = (id: string): Cell => CELLS.find((c) => c.id === id)!;
const NOW = new Date('2026-11-22T12:00:00Z');

// Lines as harness/fixtures.ts `conclude` appends them (OutcomeRecord, harness/outcome-log.ts).
const line = (o: Record<string, unknown>) =>
  JSON.stringify({
    at: '2026-11-22T11:00:00.000Z', kubernetes: 'v1.34.12', imageSource: 'local', durationMs: 95_000, ...o,
  });
const BPF_120 = [
  line({ test: 'auth-url keeps answering 200 after CoreDNS restarts [plain-nginx, default]', story: 'auth-url', case: 'default', variant: 'bpf', cilium: '1.20.2', expected: 'healthy', observed: 'healthy', verdict: 'as-expected', pass: true, message: 'healthy as expected: 180/180 answered 200' }),
  line({ test: 'auth-url keeps answering 200 after CoreDNS restarts [ingress-nginx, default]', story: 'auth-url', case: 'default', variant: 'bpf', cilium: '1.20.2', expected: 'healthy', observed: 'affected', verdict: 'regression', pass: false, message: 'regression: expected healthy, observed affected: 150/180 answered 500 | stale socket 10.244.1.3:53' }),
  line({ test: 'auth-url keeps answering 200 after CoreDNS restarts [plain-nginx, terminate-pod-connections-off]', story: 'auth-url', case: 'terminate-pod-connections-off', variant: 'bpf', cilium: '1.20.2', expected: 'affected', observed: 'affected', verdict: 'as-expected', pass: true, message: 'reproduced as expected' }),
  line({ test: 'auth-url keeps answering 200 after CoreDNS restarts [ingress-nginx, terminate-pod-connections-off]', story: 'auth-url', case: 'terminate-pod-connections-off', variant: 'bpf', cilium: '1.20.2', expected: 'affected', observed: 'affected', verdict: 'as-expected', pass: true, message: 'reproduced as expected' }),
  line({ test: 'auth-url keeps answering 200 after CoreDNS restarts [plain-nginx, host-namespace-only]', story: 'auth-url', case: 'host-namespace-only', variant: 'bpf', cilium: '1.20.2', expected: 'healthy', observed: 'healthy', verdict: 'as-expected', pass: true, message: 'healthy as expected' }),
];
const BPF_118 = [
  line({ test: 't [plain-nginx, terminate-pod-connections-off]', story: 'auth-url', case: 'terminate-pod-connections-off', variant: 'bpf', cilium: '1.18.11', expected: 'affected', observed: 'healthy', verdict: 'fixed-upstream', pass: false, message: 'fixed upstream? expected affected, observed healthy' }),
];
const RACE_119 = [
  line({ test: 'structural', story: 'forward-order', case: 'structural', variant: 'race', cilium: '1.19.8', expected: 'affected', observed: 'affected', verdict: 'as-expected', pass: true, message: 'reproduced as expected' }),
  line({ test: 'data-plane', story: 'forward-order', case: 'data-plane', variant: 'race', cilium: '1.19.8', expected: 'unknown', observed: 'affected', verdict: 'observed-only', pass: true, message: 'observed affected (expectation unknown, not judged)' }),
];
const SMOKE = [
  line({ test: 'nodes are Ready', story: 'harness', case: 'nodes', variant: 'smoke', expected: 'healthy', observed: 'healthy', verdict: 'as-expected', pass: true, message: 'healthy as expected' }),
  line({ test: 'dns answers', story: 'harness', case: 'dns', variant: 'smoke', expected: 'healthy', observed: 'inconclusive', verdict: 'inconclusive', pass: false, message: 'inconclusive: expected healthy, only 3 answers' }),
];

const parse = (lines: string[]) => parseOutcomes(lines.join('\n'), 'sample.jsonl').records;

describe('outcome logs', () => {
  test('parses records; blank lines ignored; broken lines reported with their line number', () => {
    const text = [BPF_120[0], '', '{"story":"auth-url","cas', '{"story":"auth-url"}', '42', SMOKE[0]].join('\n');
    const { records, problems } = parseOutcomes(text, 'x.jsonl');
    expect(records.map((r) => r.case)).toEqual(['default', 'nodes']);
    expect(problems).toEqual([
      'x.jsonl:3: not JSON ({"story":"auth-url","cas)',
      'x.jsonl:4: missing case, variant, expected, observed, verdict, pass',
      'x.jsonl:5: not an object',
    ]);
  });
});

describe('report: story × case × variant × version', () => {
  const runs: CellRun[] = [
    { cell: cell('smoke@none'), status: 'failed', durationMs: 300_000, tests: { passed: 3, failed: 1, skipped: 0 } },
    { cell: cell('bpf@1.18.11'), status: 'timeout', durationMs: 2_700_000, reason: 'killed after 45m 00s (--cell-timeout)' },
    { cell: cell('bpf@1.20.2'), status: 'failed', durationMs: 1_260_000, tests: { passed: 5, failed: 1, skipped: 0 } },
    { cell: cell('race@1.19.8'), status: 'passed', durationMs: 600_000, tests: { passed: 2, failed: 0, skipped: 1 } },
    { cell: cell('puzzle@none'), status: 'skipped', reason: 'images missing (npm run images …): netrepro/metallb-speaker:v0.15.2' },
  ];
  const records = parse([...SMOKE, ...BPF_118, ...BPF_120, ...RACE_119]);
  const report = buildReport(runs, records, { now: NOW });
  const entry = (cellId: string, story: string, c: string) => report.entries.find((e) => e.cell === cellId && e.story === story && e.case === c);

  test('runs of one case in several flavours fold into one entry; the worst verdict wins', () => {
    const e = entry('bpf@1.20.2', 'auth-url', 'default')!;
    expect(e).toMatchObject({ expected: 'healthy', observed: 'mixed', observedCounts: { healthy: 1, affected: 1 }, verdict: 'regression', pass: false });
    expect(e.messages).toEqual([expect.stringMatching(/^regression: expected healthy/)]);
    expect(entry('bpf@1.20.2', 'auth-url', 'terminate-pod-connections-off')).toMatchObject({ observed: 'affected', observedCounts: { affected: 2 }, verdict: 'as-expected', pass: true });
  });

  test('cases the table expects but no record concluded: no-outcome when the cell failed, not-run when it was skipped or passed', () => {
    expect(entry('bpf@1.18.11', 'auth-url', 'default')).toMatchObject({ verdict: 'no-outcome', pass: false, expected: 'healthy' });
    expect(entry('bpf@1.18.11', 'auth-url', 'default')!.messages[0]).toContain('cell timeout: killed after 45m 00s');
    expect(entry('bpf@1.18.11', 'auth-url', 'terminate-pod-connections-off')).toMatchObject({ verdict: 'fixed-upstream', observed: 'healthy' });
    expect(entry('puzzle@none', 'ingress-status', 'misconfigured')).toMatchObject({ verdict: 'not-run', pass: true, expected: 'affected' });
    expect(entry('race@1.19.8', 'forward-order', 'healed')).toMatchObject({ verdict: 'not-run', pass: true });
    expect(entry('race@1.19.8', 'forward-order', 'data-plane')).toMatchObject({ verdict: 'observed-only', expected: 'unknown', pass: true });
  });

  test("every case a cell's stories conclude is an entry, in the story's case order, concluded or not", () => {
    const smoke = report.entries.filter((e) => e.cell === 'smoke@none');
    expect(smoke.map((e) => e.case)).toEqual([...harnessSelfCheck.cases]);
    // The smoke cell failed after concluding nodes and dns: the rest have no outcome.
    expect(smoke.filter((e) => !['nodes', 'dns'].includes(e.case)).every((e) => e.verdict === 'no-outcome')).toBe(true);
    const none = buildReport([{ cell: cell('smoke@none'), status: 'failed' }], [], { now: NOW });
    expect(none.entries.map((e) => e.case)).toEqual([...harnessSelfCheck.cases]);
    expect(none.entries.every((e) => e.verdict === 'no-outcome' && !e.pass)).toBe(true);
  });

  test('cells: statuses, per-cell outcome counts and total duration', () => {
    expect(report.cells.find((c) => c.cell.id === 'bpf@1.20.2')!.outcomes).toEqual({ total: 3, asExpected: 2, notAsExpected: 1 });
    expect(report.totals).toMatchObject({ cells: 5, byStatus: { failed: 2, timeout: 1, passed: 1, skipped: 1 }, durationMs: 4_860_000 });
    expect(report.totals.byVerdict.regression).toBe(1);
    expect(report.generatedAt).toBe('2026-11-22T12:00:00.000Z');
  });

  test('records of a cell outside the report are problems, not entries', () => {
    const r = buildReport([{ cell: cell('smoke@none'), status: 'passed' }], parse(BPF_120.slice(0, 1)), { now: NOW });
    expect(r.problems).toEqual(['outcome for auth-url/default on bpf@1.20.2 belongs to no cell of this report']);
    expect(r.entries.every((e) => e.cell === 'smoke@none')).toBe(true);
  });

  test('Markdown: one row per story/case/variant, one column per Cilium version plus no-Cilium', () => {
    const md = renderMarkdown(report);
    expect(md).toContain('| story | case | variant | Cilium 1.18.11 | Cilium 1.19.8 | Cilium 1.20.2 | no Cilium |');
    expect(md).toContain('| auth-url | default | bpf | 💥 no outcome |  | ❌ healthy ×1, affected ×1 (expected healthy) |  |');
    expect(md).toContain('| auth-url | terminate-pod-connections-off | bpf | 🟡 healthy (expected affected: fixed upstream?) |  | ✅ affected ×2 |  |');
    expect(md).toContain('| forward-order | data-plane | race |  | 🔎 affected (not judged) |  |  |');
    expect(md).toContain('| harness | dns | smoke |  |  |  | ⚠️ inconclusive (expected healthy) |');
    expect(md).toContain('| bpf@1.20.2 | ❌ failed | 5 passed, 1 failed, 0 skipped | 2/3 as expected | 21m 00s |');
    expect(md).toContain('| puzzle@none | ⏭️ skipped: images missing (npm run images …): netrepro/metallb-speaker:v0.15.2 |');
    expect(md).toContain('| **total** | | | | 1h 21m |');
    // A pipe inside a message does not break the table.
    expect(md).toContain('150/180 answered 500 \\| stale socket');
  });

  test('entry text and durations', () => {
    expect(entryText({ verdict: 'as-expected', observed: 'healthy', observedCounts: { healthy: 1 }, expected: 'healthy' })).toBe('✅ healthy');
    expect(entryText({ verdict: 'not-run', observedCounts: {}, expected: 'healthy' })).toBe('⏭️ not run');
    expect(formatDuration(42_400)).toBe('42 s');
    expect(formatDuration(125_000)).toBe('2m 05s');
    expect(formatDuration(3_725_000)).toBe('1h 02m');
  });
});

describe('summarizer (one CI cell → $GITHUB_STEP_SUMMARY)', () => {
  test('a table of the cell\'s records with a headline count and the failures listed', () => {
    const md = summarizeOutcomes(parse(BPF_120), { title: 'bpf@1.20.2' });
    expect(md.split('\n')[0]).toBe('### bpf@1.20.2: 4/5 as expected');
    expect(md).toContain('| story | case | test | expected | observed | verdict | time |');
    expect(md).toContain('| auth-url | default | auth-url keeps answering 200 after CoreDNS restarts [ingress-nginx, default] | healthy | affected | ❌ regression | 1m 35s |');
    expect(md).toContain('- auth-url/default: regression: expected healthy, observed affected');
  });

  test('no records: says so instead of an empty table; parse problems are listed', () => {
    const md = summarizeOutcomes([], { title: 'smoke@none', problems: ['x.jsonl:3: not JSON'] });
    expect(md).toContain('### smoke@none');
    expect(md).toContain('No story case concluded');
    expect(md).toContain('- ⚠️ x.jsonl:3: not JSON');
  });

  test('several cells give one section each', () => {
    const md = summarizeOutcomes(parse([...SMOKE, ...RACE_119]));
    expect(md).toContain('### smoke@none: 1/2 as expected');
    expect(md).toContain('### race@1.19.8: 2/2 as expected');
  });
});

describe('CI artifacts → report', () => {
  test('step outcomes map to cell statuses; durations from the start stamp', () => {
    expect(statusFromStepOutcome('success')).toBe('passed');
    expect(statusFromStepOutcome('cancelled')).toBe('interrupted');
    expect(() => statusFromStepOutcome('weird')).toThrow(/unknown step outcome "weird"/);
    expect(cellResult(cell('bpf@1.20.2'), 'failure', 1_000, { passed: 1, failed: 1, skipped: 0 }, 61_000)).toEqual({
      cell: 'bpf@1.20.2', status: 'failed', durationMs: 60_000, tests: { passed: 1, failed: 1, skipped: 0 },
    });
    expect(cellResult(cell('smoke@none'), 'success', undefined, undefined)).toEqual({ cell: 'smoke@none', status: 'passed' });
  });

  test('one folder per artifact; a cell that uploaded nothing is failed with the reason', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netrepro-artifacts-'));
    mkdirSync(join(dir, 'reports-bpf-1.20.2'));
    writeFileSync(join(dir, 'reports-bpf-1.20.2', 'outcomes.jsonl'), `${BPF_120.join('\n')}\n`);
    writeFileSync(join(dir, 'reports-bpf-1.20.2', 'cell.json'), JSON.stringify({ cell: 'bpf@1.20.2', status: 'failed', durationMs: 1_000 }));
    mkdirSync(join(dir, 'reports-smoke-none'));
    writeFileSync(join(dir, 'reports-smoke-none', 'cell.json'), JSON.stringify({ cell: 'smoke@none', status: 'passed', durationMs: 2_000 }));
    const { runs, records, problems } = collectArtifacts(dir, [cell('smoke@none'), cell('bpf@1.20.2'), cell('cnp@1.18.11')]);
    expect(runs.map((r) => [r.cell.id, r.status, r.durationMs ?? null])).toEqual([
      ['smoke@none', 'passed', 2_000],
      ['bpf@1.20.2', 'failed', 1_000],
      ['cnp@1.18.11', 'failed', null],
    ]);
    expect(runs[2]!.reason).toMatch(/no results uploaded/);
    expect(records).toHaveLength(5);
    expect(problems).toEqual([]);
    const report = buildReport(runs, records, { now: NOW });
    expect(report.entries.find((e) => e.cell === 'cnp@1.18.11')).toMatchObject({ story: 'load-balance', case: 'P0', verdict: 'no-outcome' });
  });
});
