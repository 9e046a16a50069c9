// A small matrix report for the page's tests: two versions, every kind of verdict, evidence on disk.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OutcomeRecord } from '../../harness/outcome-log.ts';
import { buildCells } from './cells.ts';
import { buildReport, type CellRun, type MatrixReport } from './report.ts';

export function fixtureReport(dir: string): { report: MatrixReport; logOf: (id: string) => string } {
  const cells = buildCells({ cilium: { versions: { '1.19': '1.19.7', '1.20': '1.20.2' } } });
  const evidence = join(dir, 'matrix', 'bpf@1.20.2', 'run', 'udp-clients-replaced');
  mkdirSync(evidence, { recursive: true });
  writeFileSync(join(evidence, 'answers-timeline.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  const logOf = (id: string) => join(dir, 'matrix', `${id}.log`);
  const runs: CellRun[] = cells
    .filter((c) => ['bpf', 'kube-proxy'].includes(c.variant))
    .map((cell) => ({ cell, status: cell.id === 'kube-proxy@1.19.7' ? ('skipped' as const) : ('passed' as const), durationMs: 600_000, tests: { passed: 2, failed: 0, skipped: 0 } }));
  for (const r of runs) writeFileSync(logOf(r.cell.id), 'log\n');
  const rec = (o: Partial<OutcomeRecord>): OutcomeRecord => ({
    at: '2026-12-02T18:00:00Z', test: 't', kubernetes: 'v1.34.12', imageSource: 'local', message: 'm', durationMs: 1,
    story: 'udp-clients', case: 'replaced-connected', variant: 'bpf', cilium: '1.20.2', expected: 'healthy', observed: 'healthy', verdict: 'as-expected', pass: true, ...o,
  });
  const records = [
    rec({ evidence }),
    rec({ case: 'replaced-unconnected', expected: 'affected', observed: 'affected', evidence }),
    rec({ case: 'terminating-connected', expected: 'unknown', observed: 'healthy', verdict: 'observed-only', evidence: join(dir, 'matrix', 'bpf@1.20.2', 'run', 'never-written') }),
    rec({ case: 'rev-map-evicted-connected', expected: 'affected', observed: 'healthy', verdict: 'fixed-upstream', pass: false, message: 'fixed upstream? <b>not</b> escaped' }),
    rec({ cilium: '1.19.7', case: 'replaced-connected', observed: 'affected', verdict: 'regression', pass: false, message: 'regression: expected healthy' }),
  ];
  return { report: buildReport(runs, records, { now: new Date('2026-12-02T18:30:00Z') }), logOf };
}
