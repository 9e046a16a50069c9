import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import type { Runner } from '../run.ts';
import { CLANG_PACKAGE } from './toolchain.ts';

/**
 * Source edits an older Cilium needs to start on this build host's kernel or
 * with the runtime's toolchain, and only where they lack what the version assumes. Each is one exact
 * text replacement in one file of the writable module copy; the file is first
 * restored from the pristine module, so an edit never outlives the condition
 * that asked for it. A tree that has the file but not the expected text fails
 * the build: the edit has to be looked at again for that version.
 *
 * Seen here (2026-12-02): the build machine's kernel has no loadable-module
 * support, so there is no /proc/modules. Cilium 1.16's and 1.17's agents list
 * loaded modules at start and exit when the file cannot be opened; 1.18 and
 * later start without it. With the edit, a missing /proc/modules reads as "no
 * module loaded"; everything the kernel has built in is still found through
 * modules.builtin, and the agent then treats missing iptables modules as
 * warnings (IPv4 only, as every variant here runs).
 *
 * Also seen: the runtime's clang 19 puts -Wshorten-64-to-32 under
 * -Wimplicit-int-conversion, which Cilium compiles its datapath with next to
 * -Werror; 1.16's BPF code (built upstream with LLVM 17, where the group did not
 * hold it) then fails to compile (bpf_sock.c, 11 errors). The edit turns that
 * one warning off again for versions before 1.18 (built upstream with an older
 * LLVM); the code clang generates is the same.
 */
export interface HostAdaptation {
  id: string;
  /** True when this host or toolchain needs the edit. */
  needed: () => boolean;
  /** Cilium versions (the tree's VERSION) the edit is for; others are left alone. */
  versions: string;
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
    versions: '<1.18.0',
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
  {
    id: 'clang19-shorten-64-to-32',
    needed: () => clangMajor(CLANG_PACKAGE) >= CLANG_GROUPS_SHORTEN,
    versions: '<1.18.0',
    file: 'pkg/datapath/loader/compile.go',
    expect: '\t\t"-Wimplicit-int-conversion",\n',
    replace: '\t\t"-Wimplicit-int-conversion",\n\t\t"-Wno-shorten-64-to-32", // netrepro: clang 19 groups it under the line above\n',
    why: `the runtime's ${CLANG_PACKAGE} reports -Wshorten-64-to-32 under -Wimplicit-int-conversion (with -Werror), which this version's BPF code predates; that one warning is turned off`,
  },
];

/** First clang major whose -Wimplicit-int-conversion includes -Wshorten-64-to-32. */
const CLANG_GROUPS_SHORTEN = 19;

function clangMajor(pkg: string): number {
  return Number(/(\d+)$/.exec(pkg)?.[1] ?? 0);
}

/** Ids of the adaptations this host needs for a version (part of the image cache key). */
export function hostAdaptationIds(version: string, list: readonly HostAdaptation[] = HOST_ADAPTATIONS): string[] {
  const v = semver.coerce(version);
  return v ? list.filter((a) => a.needed() && semver.satisfies(v, a.versions)).map((a) => a.id) : [];
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
  version: string,
  list: readonly HostAdaptation[] = HOST_ADAPTATIONS,
): string[] {
  const applied: string[] = [];
  const v = semver.coerce(version);
  for (const a of list) {
    const pristine = join(pristineDir, a.file);
    if (!existsSync(pristine)) continue;
    const target = join(dir, a.file);
    copyFileSync(pristine, target);
    if (!a.needed() || !v || !semver.satisfies(v, a.versions)) continue;
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
