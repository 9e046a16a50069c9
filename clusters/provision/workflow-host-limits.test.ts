// The e2e workflow's host-limits step, run here as the GitHub runner would run it, followed by
// global setup's host check as a non-root user: the runner's user cannot write /proc/sys, so the
// step must already have raised every limit the setup checks.
import { describe, expect, test } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { parse } from 'yaml';
import { INOTIFY_MINIMUMS } from './host-limits.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const HOST_LIMITS_TS = fileURLToPath(new URL('./host-limits.ts', import.meta.url));
const TSX = join(REPO, 'node_modules/.bin/tsx');
/** Debian's defaults, what a fresh runner or machine starts with. */
const DEBIAN_DEFAULTS = { max_user_instances: 128, max_user_watches: 192536 } as const;
/** The user the check runs as when the tests run as root (the runner's user is not root). */
const NOBODY = 65534;
const STEP_TIMEOUT_MS = 30_000;
/** Each test runs up to two child processes; under a loaded machine tsx alone can take most of the unit default. */
const TEST_TIMEOUT_MS = 2 * STEP_TIMEOUT_MS;

function workflowStep(name: RegExp): string {
  const workflow = parse(readFileSync(join(REPO, '.github/workflows/e2e.yml'), 'utf8')) as {
    jobs: Record<string, { steps?: Array<{ name?: string; run?: string }> }>;
  };
  const step = Object.values(workflow.jobs).flatMap((j) => j.steps ?? []).find((s) => name.test(s.name ?? ''));
  if (!step?.run) throw new Error(`.github/workflows/e2e.yml: no step named ${name} with a run script`);
  return step.run;
}

/** A stand-in for /proc/sys/fs/inotify holding Debian's defaults, readable by everyone and writable by no one but root. */
function fakeProc(): string {
  const root = mkdtempSync(join(tmpdir(), 'netrepro-proc-'));
  const dir = join(root, 'proc/sys/fs/inotify');
  mkdirSync(dir, { recursive: true });
  for (const [name, value] of Object.entries(DEBIAN_DEFAULTS)) writeFileSync(join(dir, name), `${value}\n`);
  for (const p of [root, join(root, 'proc'), join(root, 'proc/sys'), join(root, 'proc/sys/fs'), dir]) chmodSync(p, 0o755);
  for (const name of Object.keys(DEBIAN_DEFAULTS)) chmodSync(join(dir, name), 0o444);
  return root;
}

/** `sudo` runs its command; `sysctl -p FILE` writes FILE's settings into the stand-in. */
function shims(root: string): string {
  const bin = join(root, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'sudo'), '#!/bin/sh\nexec "$@"\n', { mode: 0o755 });
  writeFileSync(
    join(bin, 'sysctl'),
    `#!/bin/sh
[ "$1" = "-p" ] || { echo "sysctl shim: only -p FILE" >&2; exit 2; }
while IFS='=' read -r key value; do
  [ -n "$key" ] || continue
  file="${root}/proc/sys/$(echo "$key" | tr . /)"
  chmod u+w "$file" && echo "$value" > "$file" && chmod 0444 "$file" || exit 1
done < "$2"
`,
    { mode: 0o755 },
  );
  return bin;
}

/** Global setup's host check, in a child process as a user who cannot write /proc/sys. */
async function hostCheckAsRunnerUser(root: string) {
  const code = `import { ensureInotifyLimits } from ${JSON.stringify(HOST_LIMITS_TS)};
try { ensureInotifyLimits(process.env.PROC_ROOT); } catch (e) { console.error(e.message); process.exit(1); }`;
  const asUser = process.getuid?.() === 0 ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--'] : [];
  const [file, ...args] = [...asUser, TSX, '--eval', code];
  return execa(file!, args, { cwd: REPO, env: { PROC_ROOT: root, HOME: root }, reject: false, timeout: STEP_TIMEOUT_MS });
}

describe("the e2e workflow's host limits, as the runner's non-root user meets them", () => {
  test('without the workflow step, the host check fails in one line naming the sysctl to run', async () => {
    const root = fakeProc();
    try {
      const check = await hostCheckAsRunnerUser(root);
      expect(check.exitCode, check.stderr).toBe(1);
      expect(check.stderr.trim()).toMatch(/^inotify limits are too low for kind clusters: run `sudo sysctl -w fs\.inotify\.max_user_instances=\d+ fs\.inotify\.max_user_watches=\d+`$/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, TEST_TIMEOUT_MS);

  test("after the workflow's step, the host check passes without writing anything", async () => {
    const root = fakeProc();
    try {
      const step = workflowStep(/host limits/i);
      const run = await execa('bash', ['-euo', 'pipefail', '-c', step], {
        cwd: REPO,
        env: { PATH: `${shims(root)}:${process.env.PATH}`, RUNNER_TEMP: root },
        reject: false,
        timeout: STEP_TIMEOUT_MS,
      });
      expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
      for (const [name, min] of Object.entries(INOTIFY_MINIMUMS)) {
        expect(Number(readFileSync(join(root, 'proc/sys/fs/inotify', name), 'utf8')), name).toBeGreaterThanOrEqual(min);
      }
      const check = await hostCheckAsRunnerUser(root);
      expect(check.exitCode, check.stderr).toBe(0);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, TEST_TIMEOUT_MS);
});
