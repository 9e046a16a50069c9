import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test, vi } from 'vitest';
import { buildCells } from './cells.ts';
import { matrixPaths } from './files.ts';
import { cellCommand, runChild, runLocalMatrix } from './runner.ts';

const CELLS = buildCells({ cilium: { versions: { '1.20': '1.20.2' } } });
const cell = (id: string) => CELLS.find((c) => c.id === id)!;
/** Running, not a zombie waiting for a reaper that a container's PID 1 may never be. */
const alive = (pid: number) => {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return false;
  const state = readFileSync(stat, 'utf8').split(') ')[1]?.[0];
  return state !== undefined && state !== 'Z' && state !== 'X';
};

describe('one cell as a child process', () => {
  test('vitest --project <variant> with local images, the cell\'s version and outcome log; NETREPRO_KEEP only with --keep', () => {
    const paths = matrixPaths('reports');
    const base = { PATH: '/usr/bin', NETREPRO_KEEP: '1', NETREPRO_KUBECONFIG: '/tmp/kc' };
    const bpf = cellCommand(cell('bpf@1.20.2'), paths, { keep: false }, base);
    expect([bpf.file, ...bpf.args.slice(0, 4)]).toEqual(['npx', 'vitest', 'run', '--project', 'bpf']);
    expect(bpf.args).toContain('--outputFile.json=reports/matrix/bpf@1.20.2.vitest.json');
    expect(bpf.env).toMatchObject({ PATH: '/usr/bin', NETREPRO_IMAGES: 'local', CILIUM_VERSION: '1.20.2', NETREPRO_OUTCOMES: 'reports/matrix/bpf@1.20.2.jsonl' });
    expect(bpf.env.NETREPRO_KEEP).toBeUndefined();
    expect(bpf.env.NETREPRO_KUBECONFIG).toBeUndefined();
    const smoke = cellCommand(cell('smoke@none'), paths, { keep: true }, base);
    expect(smoke.env).toMatchObject({ CILIUM_VERSION: '', NETREPRO_KEEP: '1' });
  });

  test('output goes to the log; the last `netrepro:` line is the reason; the exit code is returned', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'netrepro-child-')), 'cell.log');
    const echoed: string[] = [];
    const script = 'echo "[netrepro] create cluster"; echo noise; echo "netrepro: docker is not running" >&2; exit 2';
    const r = await runChild({ file: 'sh', args: ['-c', script], env: { PATH: process.env.PATH, NETREPRO_IMAGES: 'local' } }, log, {
      timeoutMs: 10_000, verbose: false, echo: (l) => echoed.push(l),
    });
    expect(r).toMatchObject({ exitCode: 2, timedOut: false, interrupted: false, lastError: 'docker is not running' });
    expect(echoed).toEqual(['[netrepro] create cluster', 'netrepro: docker is not running']);
    const text = readFileSync(log, 'utf8');
    expect(text.split('\n')[0]).toBe(`$ NETREPRO_IMAGES=local sh -c ${script}`);
    expect(text).toContain('noise');
  });

  test('on timeout the whole process group is killed, grandchildren included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netrepro-child-'));
    const pidFile = join(dir, 'grandchild.pid');
    // The grandchild ignores SIGTERM: only the SIGKILL after the grace period ends it.
    const script = `sh -c 'trap "" TERM; sleep 60' & echo $! > ${pidFile}; wait`;
    const t0 = Date.now();
    const r = await runChild({ file: 'sh', args: ['-c', script], env: { PATH: process.env.PATH } }, join(dir, 'cell.log'), {
      timeoutMs: 500, graceMs: 300, verbose: false, echo: () => undefined,
    });
    expect(r.timedOut).toBe(true);
    expect(Date.now() - t0).toBeLessThan(8_000);
    expect(existsSync(pidFile)).toBe(true);
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(alive(grandchild)).toBe(false);
  }, 15_000);
});

describe('local matrix run (fake cells, no cluster)', () => {
  const line = (variant: string, cilium?: string) =>
    JSON.stringify({
      at: '2026-11-22T11:00:00Z', test: 't', story: 'harness', case: 'nodes', variant, ...(cilium ? { cilium } : {}), kubernetes: 'v1.34.12',
      imageSource: 'local', expected: 'healthy', observed: 'healthy', verdict: 'as-expected', pass: true, message: 'ok', durationMs: 5,
    });

  test('runs each cell once, records timeouts and skips, writes the report, resumes, and --fresh starts over', async () => {
    const reports = mkdtempSync(join(tmpdir(), 'netrepro-matrix-run-'));
    const runsLog = join(reports, 'runs.txt');
    const selected = [cell('smoke@none'), cell('bpf@1.20.2'), cell('puzzle@none')];
    const seams = {
      checkDocker: async () => undefined,
      missingImages: async (c: { variant: string }) => (c.variant === 'puzzle' ? ['netrepro/metallb-speaker:v0.15.2'] : []),
      command: (c: { id: string; variant: string; ciliumVersion?: string }, paths: ReturnType<typeof matrixPaths>) => {
        const real = cellCommand(cell(c.id), paths, { keep: true }, { PATH: process.env.PATH });
        const json = real.args.find((a) => a.startsWith('--outputFile.json='))!.split('=')[1]!;
        const script =
          c.variant === 'bpf'
            ? `echo ${c.id} >> ${runsLog}; echo "[netrepro] install Cilium"; sleep 30`
            : `echo ${c.id} >> ${runsLog}; echo '${line(c.variant, c.ciliumVersion)}' >> "$NETREPRO_OUTCOMES"; echo '{"numPassedTests":1,"numFailedTests":0,"numPendingTests":0}' > ${json}`;
        return { file: 'sh', args: ['-c', script], env: real.env };
      },
    };
    const opts = { all: CELLS, selected, reportsDir: reports, cellTimeoutMs: 700, keep: true, fresh: false, dryRun: false, verbose: false, seams };
    // The runner's progress lines go to stderr; keep them out of the test output.
    const progress: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (progress.push(String(chunk)), true));
    onTestFinished(() => stderr.mockRestore());

    expect(await runLocalMatrix(opts)).toBe(1);
    const state = JSON.parse(readFileSync(join(reports, 'matrix', 'state.json'), 'utf8')) as { cells: Record<string, { status: string; tests?: unknown }> };
    expect(state.cells['smoke@none']).toMatchObject({ status: 'passed', tests: { passed: 1, failed: 0, skipped: 0 } });
    expect(state.cells['bpf@1.20.2']).toMatchObject({ status: 'timeout', reason: 'killed after 0.7 s (--cell-timeout)' });
    expect(state.cells['puzzle@none']).toMatchObject({ status: 'skipped', reason: expect.stringContaining('images missing (npm run images): netrepro/metallb-speaker') });
    expect(readFileSync(join(reports, 'matrix', 'bpf@1.20.2.log'), 'utf8')).toContain('[netrepro] install Cilium');
    const md = readFileSync(join(reports, 'matrix.md'), 'utf8');
    expect(md).toContain('| harness | nodes | smoke |  | ✅ healthy |');
    expect(md).toContain('| auth-url | default | bpf | 💥 no outcome |  |');
    const json = JSON.parse(readFileSync(join(reports, 'matrix.json'), 'utf8')) as { cells: Array<{ status: string }> };
    expect(json.cells.map((c) => c.status)).toEqual(['passed', 'timeout', 'skipped']);
    expect(existsSync(join(reports, 'matrix', 'badges', 'story-harness.json'))).toBe(true);
    const timings = readFileSync(join(reports, 'matrix-timings.md'), 'utf8');
    expect(timings).toContain('| smoke@none | passed |');
    expect(timings).toContain('| bpf@1.20.2 | timeout |');

    // Rerun: finished cells (passed, timeout) stay, and still count for the exit code; the skipped one is looked at again.
    expect(await runLocalMatrix(opts)).toBe(1);
    expect(readFileSync(runsLog, 'utf8').trim().split('\n')).toEqual(['smoke@none', 'bpf@1.20.2']);

    // --fresh with a selection: only the selected cell runs again; the others keep their results.
    expect(await runLocalMatrix({ ...opts, fresh: true, selected: [cell('smoke@none')] })).toBe(0);
    expect(readFileSync(runsLog, 'utf8').trim().split('\n')).toEqual(['smoke@none', 'bpf@1.20.2', 'smoke@none']);
    const kept = JSON.parse(readFileSync(join(reports, 'matrix', 'state.json'), 'utf8')) as { cells: Record<string, { status: string }> };
    expect(kept.cells['bpf@1.20.2']?.status).toBe('timeout');
    expect(kept.cells['smoke@none']?.status).toBe('passed');

    // --fresh over the whole matrix: everything is forgotten.
    expect(await runLocalMatrix({ ...opts, all: [cell('smoke@none')], fresh: true, selected: [cell('smoke@none')] })).toBe(0);
    const after = JSON.parse(readFileSync(join(reports, 'matrix', 'state.json'), 'utf8')) as { cells: Record<string, unknown> };
    expect(after.cells['bpf@1.20.2']).toBeUndefined();
    expect(progress.join('')).toMatch(/\[matrix\] 2\/3 bpf@1\.20\.2 timeout in [\d.]+ s: no test report; no story case concluded/);
  }, 20_000);
});

describe('cells side by side (fake cells, no cluster)', () => {
  test('--parallel 2: two cells at once, longest first, each with its own LoadBalancer slot', async () => {
    const reports = mkdtempSync(join(tmpdir(), 'netrepro-matrix-parallel-'));
    const events = join(reports, 'events.txt');
    const selected = [cell('smoke@none'), cell('race@1.20.2'), cell('bpf@1.20.2')];
    const seams = {
      checkDocker: async () => undefined,
      missingImages: async () => [],
      command: (c: { id: string }, paths: ReturnType<typeof matrixPaths>, slot: number) => {
        const real = cellCommand(cell(c.id), paths, { keep: true }, { PATH: process.env.PATH }, slot);
        const script = `echo "start ${c.id} $NETREPRO_LB_SLOT" >> ${events}; sleep 0.6; echo "end ${c.id}" >> ${events}`;
        return { file: 'sh', args: ['-c', script], env: real.env };
      },
    };
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    onTestFinished(() => stderr.mockRestore());

    const opts = { all: CELLS, selected, reportsDir: reports, cellTimeoutMs: 10_000, keep: true, fresh: false, dryRun: false, verbose: false, parallel: 2, seams };
    expect(await runLocalMatrix(opts)).toBe(0);
    const lines = readFileSync(events, 'utf8').trim().split('\n');
    // bpf and race start together (in either order), smoke waits for the first to end.
    expect(lines.slice(0, 2).map((l) => l.split(' ')[1]).sort()).toEqual(['bpf@1.20.2', 'race@1.20.2']);
    expect(lines.slice(0, 2).map((l) => l.split(' ')[2]).sort()).toEqual(['0', '1']);
    expect(lines[2]).toMatch(/^end /);
    expect(lines.filter((l) => l.startsWith('start')).at(-1)).toMatch(/^start smoke@none [01]$/);
  }, 20_000);
});
