import { requestedCiliumRef, requestedCiliumVersions } from '../../../config/env.ts';
import { SOURCE_LABEL_MARK, sourceTree } from '../../../config/cilium-source.ts';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pins } from '../../../config/pins.ts';
import { ciliumControls, lookupCiliumVersion } from '../../../config/versions.ts';
import { cacheDir } from '../cache.ts';
import { downloadModule, goEnv, type ModuleInfo } from '../go.ts';
import type { Runner } from '../run.ts';
import { applyHostAdaptations } from './host-adaptations.ts';
import { applySubstitutes } from './substitutes.ts';

export const CILIUM_MODULE = 'github.com/cilium/cilium';

/** One Cilium build: a pinned release or an upstream commit. */
export interface CiliumTarget {
  /** What image tags carry after "v": "1.20.2", or a pseudo-version without its "v". */
  label: string;
  /** Version of github.com/cilium/cilium to download: "v1.20.2" or a pseudo-version. */
  moduleVersion: string;
  /** The ref that was asked for (commit, branch, tag), when it is not a pin. */
  ref?: string;
  /** A source tree on disk (CILIUM_SRC) instead of a module version; then label and moduleVersion are its content label. */
  sourceDir?: string;
}

/** A Cilium source tree on disk, tagged by its content (config/cilium-source.ts). */
export function sourceTarget(dir: string): CiliumTarget {
  const tree = sourceTree(dir);
  return { label: tree.label, moduleVersion: tree.label, sourceDir: tree.dir };
}

export function pinnedTarget(patch: string): CiliumTarget {
  return { label: patch.replace(/^v/, ''), moduleVersion: `v${patch.replace(/^v/, '')}` };
}

/**
 * Versions to build: CILIUM_VERSIONS unset → the default minor only;
 * "all" → every pinned minor and every positive control (pins.json
 * `cilium.controls`: what the matrix can run); else a comma list of minors or
 * patches of either ("1.18,1.20", "1.18.11", "1.16" for the 1.16.4 control).
 * Returns patch versions ("1.20.2").
 */
export function selectedVersions(p: Pins, env: string | undefined = requestedCiliumVersions()): string[] {
  const pinned = p.cilium.versions;
  const controls = ciliumControls(p);
  const wanted = (env ?? '').trim();
  if (wanted === '') {
    const v = pinned[p.cilium.default];
    if (!v) throw new Error(`Cilium ${p.cilium.default} (cilium.default) is not pinned (pins.json cilium.versions has ${Object.keys(pinned).join(', ')})`);
    return [v];
  }
  if (wanted === 'all') return [...new Set([...Object.values(pinned), ...Object.values(controls)])];
  return wanted.split(',').map((w) => {
    const v = lookupCiliumVersion(p, w);
    if (v) return v;
    const controlNote = Object.keys(controls).length ? `, cilium.controls has ${Object.keys(controls).join(', ')}` : '';
    throw new Error(`Cilium ${w.trim().replace(/^v/, '')} is not pinned (pins.json cilium.versions has ${Object.keys(pinned).join(', ')}${controlNote})`);
  });
}

/** The upstream ref to build instead of pins (CILIUM_REF), if any. */
export function requestedRef(env: string | undefined = requestedCiliumRef()): string | undefined {
  const ref = (env ?? '').trim();
  return ref === '' ? undefined : ref;
}

/**
 * Resolves a commit (or branch/tag) of cilium/cilium to its Go pseudo-version
 * through the module proxy, e.g. 1a2b3c4 → v1.21.0-pre.0.20261104…-1a2b3c4d5e6f.
 */
export async function resolveRef(r: Runner, ref: string): Promise<CiliumTarget> {
  const res = await r.run('go', ['list', '-m', '-json', `${CILIUM_MODULE}@${ref}`], {
    env: goEnv({ GOFLAGS: '-buildvcs=false' }),
    capture: true,
    cwd: cacheDir('src'),
    allowFailure: true,
  });
  if (res.exitCode !== 0) {
    const why = res.output.split('\n').find((l) => l.trim() !== '') ?? `exit code ${res.exitCode}`;
    const refused = /403|not available/.test(res.output)
      ? ' — the module proxy refuses this query (a filtered proxy serves only selected versions; the public one resolves any commit)'
      : '';
    r.fail(`resolving CILIUM_REF=${ref}: ${why.trim()}${refused}`);
  }
  const info = JSON.parse(res.stdout) as { Version?: string; Error?: { Err?: string } };
  if (!info.Version) r.fail(`go list -m ${CILIUM_MODULE}@${ref}: ${info.Error?.Err ?? 'no version'}`);
  return { label: info.Version.replace(/^v/, ''), moduleVersion: info.Version, ref };
}

export interface CiliumSource {
  /** Writable copy of the module tree (go builds run here, so its replace directives apply). */
  dir: string;
  /** Content of the VERSION file ("1.20.2", "1.21.0-dev"). */
  version: string;
  /** Commit when known (proxy origin or pseudo-version), else the module version. */
  revision: string;
  /** Commit time from the proxy, ISO 8601. */
  time: string;
  /** Dependencies built at another version or stubbed (see substitutes.ts), one line each. */
  substitutes: string[];
  /** Source edits this build host's kernel or the runtime's toolchain needs (see host-adaptations.ts), one line each. */
  adaptations: string[];
}

const COMPLETE = '.netrepro-complete';

/**
 * Downloads github.com/cilium/cilium at the target's version and copies the
 * read-only module tree to src/cilium-<label> (once): the build runs inside
 * it, so upstream go.mod (replace directives, go.sum) applies — less the
 * dependencies the proxy refuses, which substitutes.ts swaps, and with the
 * edits this host's kernel or toolchain needs (host-adaptations.ts).
 */
export async function prepareSource(r: Runner, t: CiliumTarget): Promise<CiliumSource> {
  if (t.sourceDir) return prepareTree(r, t, t.sourceDir);
  const info = await downloadModule(r, CILIUM_MODULE, t.moduleVersion);
  const dir = join(cacheDir('src'), `cilium-${t.label}`);
  if (!existsSync(join(dir, COMPLETE))) {
    rmSync(dir, { recursive: true, force: true });
    cpSync(info.Dir, dir, { recursive: true });
    await r.run('chmod', ['-R', 'u+w', dir]);
    writeFileSync(join(dir, COMPLETE), `${t.moduleVersion}\n`);
  }
  const substitutes = await applySubstitutes(r, dir, info.Dir);
  const version = readFileSync(join(dir, 'VERSION'), 'utf8').trim();
  const adaptations = applyHostAdaptations(r, dir, info.Dir, version);
  const meta = proxyInfo(info);
  const pseudoHash = /-(?:\d{14})-([0-9a-f]{12})$/.exec(t.moduleVersion)?.[1];
  return {
    dir,
    version,
    revision: meta.Origin?.Hash?.slice(0, 12) ?? pseudoHash ?? t.moduleVersion,
    time: meta.Time ?? new Date(0).toISOString(),
    substitutes,
    adaptations,
  };
}

/** Left out of the build copy of a source tree: version control and build leftovers. */
const TREE_COPY_SKIP = /(^|\/)(\.git|_build)$/;

/**
 * A source tree on disk: copied to src/cilium-tree (one copy, replaced on each
 * build, so old trees do not pile up); the Go build cache makes a small change a
 * small rebuild, since -trimpath keeps paths out of what it keys on.
 */
async function prepareTree(r: Runner, t: CiliumTarget, tree: string): Promise<CiliumSource> {
  const dir = join(cacheDir('src'), 'cilium-tree');
  rmSync(dir, { recursive: true, force: true });
  cpSync(tree, dir, { recursive: true, filter: (path) => !TREE_COPY_SKIP.test(path.slice(tree.length)) });
  const substitutes = await applySubstitutes(r, dir, tree);
  const version = readFileSync(join(dir, 'VERSION'), 'utf8').trim();
  const adaptations = applyHostAdaptations(r, dir, tree, version);
  return { dir, version, revision: t.label.split(SOURCE_LABEL_MARK).pop()!, time: new Date(0).toISOString(), substitutes, adaptations };
}

/** The proxy's .info record (commit time, and origin when the proxy knows it). */
function proxyInfo(info: ModuleInfo): { Time?: string; Origin?: { Hash?: string } } {
  const path = (info as ModuleInfo & { Info?: string }).Info;
  if (!path || !existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as { Time?: string; Origin?: { Hash?: string } };
  } catch {
    return {};
  }
}
