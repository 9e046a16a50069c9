#!/usr/bin/env -S npx tsx
// `npm run lint:workflows`: lints .github/workflows/*.yml with actionlint at
// the version pinned in pins.json, built from its Go module into the tool
// cache (<cache>/bin, NETREPRO_CACHE overrides) unless that version is there.
//
// shellcheck: actionlint checks `run:` scripts with shellcheck when it is on
// PATH. This script does not install it (that needs root and apt); without it
// the run-script checks are skipped and the script says so. `apt-get install
// shellcheck` (Debian) enables them; GitHub's ubuntu runners have it.
import { formatDuration } from '../harness/duration.ts';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goEnv } from '../config/go-env.ts';
import { toolBinDir } from '../config/paths.ts';
import { pins } from '../config/pins.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MODULE = 'github.com/rhysd/actionlint/cmd/actionlint';

const say = (line: string) => process.stderr.write(`[lint:workflows] ${line}\n`);
const fail = (line: string): never => {
  process.stderr.write(`netrepro lint:workflows: ${line}\n`);
  process.exit(2);
};

const run = (file: string, args: string[], opts: SpawnSyncOptions = {}) => spawnSync(file, args, { encoding: 'utf8', ...opts });

/** The version an actionlint binary reports (first line of `-version`), or undefined. */
function versionOf(bin: string): string | undefined {
  if (!existsSync(bin)) return undefined;
  const r = run(bin, ['-version']);
  return r.status === 0 ? String(r.stdout).split('\n')[0]?.trim() : undefined;
}

function ensureActionlint(pin: string): string {
  const dir = toolBinDir();
  const bin = join(dir, 'actionlint');
  const have = versionOf(bin);
  if (have === pin) return bin;
  say(`${have ? `${bin} is ${have}, not ${pin}` : `no actionlint in ${dir}`}: building ${MODULE}@${pin}`);
  const go = run('go', ['version']);
  if (go.error || go.status !== 0) {
    fail(`go is not on PATH: actionlint ${pin} is built from its Go module; install Go (https://go.dev/dl) or put actionlint ${pin} at ${bin}`);
  }
  mkdirSync(dir, { recursive: true });
  // `go install module@version` builds outside any module: no -mod flag.
  const env = { ...process.env, ...goEnv({ GOBIN: dir, GOFLAGS: '' }) };
  const t0 = Date.now();
  const built = run('go', ['install', `${MODULE}@${pin}`], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (built.status !== 0) fail(`go install ${MODULE}@${pin} failed (exit ${built.status ?? built.signal}): see the output above`);
  const now = versionOf(bin);
  if (now !== pin) fail(`built ${bin} but it reports version "${now ?? 'none'}", not ${pin}`);
  say(`built actionlint ${pin} in ${formatDuration(Date.now() - t0)}`);
  return bin;
}

function main(): void {
  if (!pins.actionlint) fail('pins.json has no "actionlint" version');
  const workflowsDir = join(ROOT, '.github', 'workflows');
  const files = existsSync(workflowsDir)
    ? readdirSync(workflowsDir)
        .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
        .sort()
        .map((f) => join('.github', 'workflows', f))
    : [];
  if (files.length === 0) fail(`no workflow files in ${workflowsDir}`);

  const bin = ensureActionlint(pins.actionlint);
  const shellcheck = run('shellcheck', ['--version']);
  if (shellcheck.error || shellcheck.status !== 0) {
    say('shellcheck is not on PATH: `run:` scripts are not shellchecked (apt-get install shellcheck to enable)');
  } else {
    const v = /version: (\S+)/.exec(String(shellcheck.stdout))?.[1] ?? '?';
    say(`shellcheck ${v} checks the run: scripts`);
  }
  say(`actionlint ${pins.actionlint}: ${files.join(' ')}`);
  const r = run(bin, [...(process.stdout.isTTY ? ['-color'] : []), ...files], { cwd: ROOT, stdio: 'inherit' });
  if (r.status === 0) say(`ok: ${files.length} workflow file(s)`);
  process.exit(r.status ?? 1);
}

main();
