import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { formatChecks } from './doctor.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const netrepro = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'tools/netrepro/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8' });

describe('the netrepro command', () => {
  test('--help lists every command; bad input is one line and exit 2', () => {
    const help = netrepro('--help');
    expect(help.status).toBe(0);
    for (const command of ['doctor', 'run <variant>', 'matrix', 'images']) expect(help.stdout).toContain(command);
    for (const bad of [['frobnicate'], ['run', 'nosuch'], ['run', 'smoke', '--repeat', 'often'], ['run', 'smoke', '--repeat=0']]) {
      const r = netrepro(...bad);
      expect(r.status, bad.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  }, 120_000);

  test('--help on a command prints its own usage, not an error', () => {
    for (const [command, usage] of [['run', 'usage: netrepro run <variant>'], ['doctor', 'usage: netrepro doctor']] as const) {
      const r = netrepro(command, '--help');
      expect(r.status, `${command} --help`).toBe(0);
      expect(r.stdout).toContain(usage);
    }
  }, 60_000);

  test('doctor prints a line per check and the fix under each failing one', () => {
    const text = formatChecks([
      { name: 'kind', ok: true, found: '0.30.0' },
      { name: 'local images for bpf', ok: false, found: '6 missing', fix: 'CILIUM_VERSIONS=1.20 npm run images' },
    ]);
    expect(text.split('\n')).toEqual([
      'ok   kind                  0.30.0',
      'FAIL local images for bpf  6 missing',
      '                           fix: CILIUM_VERSIONS=1.20 npm run images',
    ]);
  });
});
