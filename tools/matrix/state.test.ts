import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { isUserError } from '../../config/errors.ts';
import { parseDuration, parseMatrixArgs } from './args.ts';
import { buildCells } from './cells.ts';
import { DEFAULT_CELL_TIMEOUT_MS, matrixPaths, readTestCounts } from './files.ts';
import { cellRunsFromState, emptyState, loadState, pinsKeyOf, planCells, saveState } from './state.ts';

const CELLS = buildCells({ cilium: { versions: { '1.20': '1.20.2' } } });
const pick = (...ids: string[]) => CELLS.filter((c) => ids.includes(c.id));
const tmp = () => mkdtempSync(join(tmpdir(), 'netrepro-matrix-'));

describe('resume state (reports/matrix/state.json)', () => {
  test('finished cells (passed, failed, timeout) are not run again; running, skipped and new ones are', () => {
    const state = emptyState('k');
    state.cells['smoke@none'] = { status: 'passed', durationMs: 1 };
    state.cells['bpf@1.20.2'] = { status: 'running', startedAt: 'x' };
    state.cells['race@1.20.2'] = { status: 'timeout' };
    state.cells['cnp@1.20.2'] = { status: 'skipped', reason: 'images missing' };
    const { run, finished } = planCells(pick('smoke@none', 'bpf@1.20.2', 'race@1.20.2', 'cnp@1.20.2', 'puzzle@none'), state);
    expect(run.map((c) => c.id)).toEqual(['bpf@1.20.2', 'cnp@1.20.2', 'puzzle@none']);
    expect(finished.map((c) => c.id)).toEqual(['smoke@none', 'race@1.20.2']);
  });

  test('round-trips through the file; other pins or a broken file start over with a note', () => {
    const path = join(tmp(), 'matrix', 'state.json');
    expect(loadState(path, 'k')).toEqual({ state: expect.objectContaining({ pinsKey: 'k', cells: {} }) });
    const state = emptyState('k');
    state.cells['smoke@none'] = { status: 'failed', exitCode: 1, reason: 'docker down' };
    saveState(path, state);
    expect(existsSync(`${path}.tmp`)).toBe(false);
    expect(loadState(path, 'k').state.cells['smoke@none']).toEqual({ status: 'failed', exitCode: 1, reason: 'docker down' });
    expect(loadState(path, 'other')).toEqual({ state: expect.objectContaining({ cells: {} }), note: expect.stringMatching(/^pins.json changed/) });
    writeFileSync(path, '{"version":1,"cells":');
    expect(loadState(path, 'k').note).toMatch(/is not JSON/);
  });

  test('pins key follows the pins text', () => {
    expect(pinsKeyOf('{"a":1}')).toBe(pinsKeyOf('{"a":1}'));
    expect(pinsKeyOf('{"a":1}')).not.toBe(pinsKeyOf('{"a":2}'));
  });

  test('report cells: the selection plus whatever the state already knows; an interrupted cell shows as interrupted', () => {
    const state = emptyState('k');
    state.cells['puzzle@none'] = { status: 'passed', durationMs: 5 };
    state.cells['bpf@1.20.2'] = { status: 'running' };
    const runs = cellRunsFromState(CELLS, pick('smoke@none', 'bpf@1.20.2'), state);
    expect(runs.map((r) => [r.cell.id, r.status])).toEqual([
      ['smoke@none', 'not-run'],
      ['bpf@1.20.2', 'interrupted'],
      ['puzzle@none', 'passed'],
    ]);
  });
});

describe('local files', () => {
  test('per-cell paths under reports/matrix', () => {
    const p = matrixPaths('reports');
    const [bpf] = pick('bpf@1.20.2');
    expect(p.outcomes(bpf!)).toBe('reports/matrix/bpf@1.20.2.jsonl');
    expect(p.state).toBe('reports/matrix/state.json');
    expect([p.markdown, p.json]).toEqual(['reports/matrix.md', 'reports/matrix.json']);
  });

  test("vitest's JSON report gives the test counts; absent or broken gives none", () => {
    const dir = tmp();
    writeFileSync(join(dir, 'v.json'), JSON.stringify({ numPassedTests: 4, numFailedTests: 1, numPendingTests: 2, numTodoTests: 1, testResults: [] }));
    expect(readTestCounts(join(dir, 'v.json'))).toEqual({ passed: 4, failed: 1, skipped: 3 });
    writeFileSync(join(dir, 'broken.json'), '{');
    expect(readTestCounts(join(dir, 'broken.json'))).toBeUndefined();
    expect(readTestCounts(join(dir, 'none.json'))).toBeUndefined();
    expect(readFileSync(join(dir, 'v.json'), 'utf8')).toContain('numPassedTests');
  });
});

describe('npm run matrix -- arguments', () => {
  test('defaults: run every cell, 45 min per cell, reports/', () => {
    expect(parseMatrixArgs([])).toMatchObject({ mode: 'run', dryRun: false, fresh: false, keep: false, cellTimeoutMs: DEFAULT_CELL_TIMEOUT_MS, reports: 'reports' });
    expect(DEFAULT_CELL_TIMEOUT_MS).toBe(45 * 60_000);
  });

  test('flags, --flag=value and repeated --cells', () => {
    const a = parseMatrixArgs(['--dry-run', '--fresh', '--keep', '--cells', 'bpf@1.20.2', '--cells=smoke@none', '--cell-timeout=90s']);
    expect(a).toMatchObject({ dryRun: true, fresh: true, keep: true, cells: 'bpf@1.20.2,smoke@none', cellTimeoutMs: 90_000 });
    expect(parseMatrixArgs(['--json', '--cells', ''])).toMatchObject({ mode: 'json', cells: '' });
    expect(parseMatrixArgs(['--summarize', 'a.jsonl', 'b.jsonl', '--title', 'bpf@1.20.2'])).toMatchObject({ mode: 'summarize', inputs: ['a.jsonl', 'b.jsonl'], title: 'bpf@1.20.2' });
    expect(parseMatrixArgs(['--record-cell', 'smoke@none', '--outcome', 'success', '--started-at', ''])).toMatchObject({ mode: 'record-cell', cell: 'smoke@none', outcome: 'success' });
    expect(parseMatrixArgs(['--record-cell', 'smoke@none', '--outcome', 'success', '--started-at', '1700000000000']).startedAt).toBe(1_700_000_000_000);
    expect(parseMatrixArgs(['--report', 'artifacts', '--out', 'out'])).toMatchObject({ mode: 'report', inputs: ['artifacts'], out: 'out' });
  });

  test('durations: minutes by default, s/m/h suffixes', () => {
    expect(parseDuration('45')).toBe(45 * 60_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('2.5m')).toBe(150_000);
  });

  test.each([
    [['--frob'], 'unknown argument "--frob"'],
    [['--cells'], '--cells needs a value'],
    [['--cell-timeout', 'soon'], '--cell-timeout "soon" is not a duration'],
    [['--cell-timeout', '0'], '--cell-timeout must be more than zero'],
    [['--json', '--list'], '--list cannot be combined with --json'],
    [['--summarize'], '--summarize needs at least one outcome log'],
    [['--record-cell', 'smoke@none'], '--record-cell needs --outcome'],
    [['--record-cell', 'smoke@none', '--outcome', 'success', '--started-at', 'noon'], '--started-at "noon" is not a number'],
  ])('%j → one-line UserError', (argv, start) => {
    let err: unknown;
    try {
      parseMatrixArgs(argv);
    } catch (e) {
      err = e;
    }
    expect(isUserError(err)).toBe(true);
    expect((err as Error).message.startsWith(start)).toBe(true);
    expect((err as Error).message).not.toContain('\n');
  });
});
