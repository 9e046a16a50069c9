import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Runner } from '../run.ts';

/**
 * Source edits an older Cilium needs to start on a build host's kernel, and
 * only where that host lacks what the version assumes. Each is one exact
 * text replacement in one file of the writable module copy; the file is first
 * restored from the pristine module, so an edit never outlives the condition
 * that asked for it. A tree that has the file but not the expected text fails
 * the build: the edit has to be looked at again for that version.
 *
 * Seen here (2026-12-02): the build machine's kernel has no loadable-module
 * support, so there is no /proc/modules. Cilium 1.16's agent lists loaded
 * modules at start and exits when the file cannot be opened; 1.18 and later
 * start without it. With the edit, a missing /proc/modules reads as "no
 * module loaded"; everything the kernel has built in is still found through
 * modules.builtin, and the agent then treats missing iptables modules as
 * warnings (IPv4 only, as every variant here runs).
 */
export interface HostAdaptation {
  id: string;
  /** True when this host needs the edit. */
  needed: () => boolean;
  /** File in the Cilium module tree. */
  file: string;
  /** Exact text expected in the file, and what replaces it. */
  expect: string;
  replace: string;
  why: string;
}

const PROC_MODULES = '/proc/modules';

export const HOST_ADAPTATIONS: readonly HostAdaptation[] = [
  {
    id: 'missing-proc-modules',
    needed: () => !existsSync(PROC_MODULES),
    file: 'pkg/datapath/linux/modules/modules_linux.go',
    expect: '\tfModules, err := os.Open(loadedModulesFilepath)\n\tif err != nil {\n',
    replace:
      '\tfModules, err := os.Open(loadedModulesFilepath)\n' +
      '\tif errors.Is(err, os.ErrNotExist) {\n' +
      '\t\treturn nil, nil // netrepro: kernel without loadable-module support\n' +
      '\t}\n' +
      '\tif err != nil {\n',
    why: 'this kernel has no /proc/modules (no loadable-module support); the agent reads it as no module loaded instead of exiting',
  },
];

/** Ids of the adaptations this host needs (part of the image cache keys). */
export function hostAdaptationIds(list: readonly HostAdaptation[] = HOST_ADAPTATIONS): string[] {
  return list.filter((a) => a.needed()).map((a) => a.id);
}

/**
 * Restores each adapted file from the pristine module, then applies the
 * adaptations this host needs to the ones the version has. Returns one line
 * per applied edit.
 */
export function applyHostAdaptations(
  r: Pick<Runner, 'note' | 'fail'>,
  dir: string,
  pristineDir: string,
  list: readonly HostAdaptation[] = HOST_ADAPTATIONS,
): string[] {
  const applied: string[] = [];
  for (const a of list) {
    const pristine = join(pristineDir, a.file);
    if (!existsSync(pristine)) continue;
    const target = join(dir, a.file);
    copyFileSync(pristine, target);
    if (!a.needed()) continue;
    const text = readFileSync(target, 'utf8');
    if (!text.includes(a.expect)) {
      r.fail(`host adaptation ${a.id}: ${a.file} does not contain the text it replaces; look at tools/images/cilium/host-adaptations.ts for this Cilium version`);
    }
    writeFileSync(target, text.replace(a.expect, a.replace));
    const line = `${a.id} in ${a.file}: ${a.why}`;
    r.note(`host adaptation: ${line}`);
    applied.push(line);
  }
  return applied;
}
