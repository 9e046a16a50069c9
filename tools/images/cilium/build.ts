import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, keyOf } from '../cache.ts';
import { goEnv } from '../go.ts';
import type { Runner } from '../run.ts';
import type { CiliumSource, CiliumTarget } from './source.ts';

/**
 * Go programs of the Cilium images, as upstream's Makefiles build them: main
 * package dir in the module → binary name. CGO off and tag osusergo everywhere
 * (Makefile.defs); the operator additionally with the generic IPAM provider.
 */
export const AGENT_BINARIES: ReadonlyArray<{ dir: string; binary: string; optional?: boolean }> = [
  { dir: 'daemon', binary: 'cilium-agent' },
  { dir: 'cilium-dbg', binary: 'cilium-dbg' },
  { dir: 'cilium-health', binary: 'cilium-health' },
  { dir: 'cilium-health/responder', binary: 'cilium-health-responder' },
  { dir: 'bugtool', binary: 'cilium-bugtool', optional: true },
  { dir: 'tools/mount', binary: 'cilium-mount' },
  { dir: 'tools/sysctlfix', binary: 'cilium-sysctlfix' },
  { dir: 'plugins/cilium-cni', binary: 'cilium-cni' },
  // hubble CLI lives in the cilium module since 1.18
  { dir: 'hubble', binary: 'hubble', optional: true },
];
export const RELAY_BINARY = { dir: 'hubble-relay', binary: 'hubble-relay' } as const;
export const OPERATOR_BINARY = { dir: 'operator', binary: 'cilium-operator-generic' } as const;

export const BASE_TAGS = ['osusergo'];
export const OPERATOR_TAGS = [...BASE_TAGS, 'ipam_provider_operator'];

/** Bump when the way binaries are built changes (forces a rebuild). */
const BUILD_RECIPE = 1;

export function ciliumOut(t: CiliumTarget): string {
  return cacheDir('out', `cilium-${t.label}`);
}

/** -X flags that make the binaries report the version they were built from. */
export function versionLdflags(src: Pick<CiliumSource, 'version' | 'revision' | 'time'>): string[] {
  // pkg/version parses "<version> <revision> <date> go version <go> <os/arch>" (7 fields).
  return [
    `-X 'github.com/cilium/cilium/pkg/version.ciliumVersion=${src.version} ${src.revision} ${src.time}'`,
    `-X 'github.com/cilium/cilium/hubble/pkg.Version=v${src.version}'`,
    `-X 'github.com/cilium/cilium/hubble/pkg.GitHash=${src.revision}'`,
  ];
}

interface Stamp {
  key: string;
  binaries: string[];
}

function buildKey(t: CiliumTarget, src: CiliumSource): string {
  // Adaptations join the key only when there are any, so unadapted builds keep their cached binaries.
  const adapted = src.adaptations.length ? [src.adaptations] : [];
  return keyOf('cilium-binaries', BUILD_RECIPE, t.moduleVersion, versionLdflags(src), BASE_TAGS, OPERATOR_TAGS, AGENT_BINARIES, src.substitutes, ...adapted);
}

/** Binaries already built for this target, or undefined. */
export function builtBinaries(t: CiliumTarget): string[] | undefined {
  const path = join(ciliumOut(t), 'stamp.json');
  if (!existsSync(path)) return undefined;
  try {
    const s = JSON.parse(readFileSync(path, 'utf8')) as Stamp;
    return s.binaries.every((b) => existsSync(join(ciliumOut(t), 'bin', b))) ? s.binaries : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Builds every Go binary of the agent, operator and relay images into
 * out/cilium-<label>/bin, inside the copied module tree (so upstream's
 * go.mod with its replace directives is the main module). Skips the work
 * when a stamp with the same key says it is done. -p=2: two cores.
 */
export async function buildCiliumBinaries(r: Runner, t: CiliumTarget, src: CiliumSource): Promise<string[]> {
  const out = ciliumOut(t);
  const bin = join(out, 'bin');
  const key = buildKey(t, src);
  const stampPath = join(out, 'stamp.json');
  if (existsSync(stampPath)) {
    const prev = JSON.parse(readFileSync(stampPath, 'utf8')) as Stamp;
    if (prev.key === key && prev.binaries.every((b) => existsSync(join(bin, b)))) {
      r.note(`binaries of ${t.label} up to date (${key})`);
      return prev.binaries;
    }
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(bin, { recursive: true });
  const env = goEnv({ GOFLAGS: '-buildvcs=false -mod=mod -p=2' });
  const ldflags = ['-s', '-w', ...versionLdflags(src)].join(' ');
  const build = (tags: string[], outPath: string, pkgs: string[]) =>
    r.run('go', ['build', '-trimpath', '-tags', tags.join(','), '-ldflags', ldflags, '-o', outPath, ...pkgs], {
      cwd: src.dir,
      env,
      tailLines: 20,
    });

  const agent = [...AGENT_BINARIES, RELAY_BINARY].filter((b) => {
    const present = existsSync(join(src.dir, b.dir));
    if (!present && !('optional' in b && b.optional)) r.fail(`${b.dir} is missing in ${t.moduleVersion}`);
    if (!present) r.note(`skipping ${b.binary}: ${b.dir} not in ${t.moduleVersion}`);
    return present;
  });
  // One `go build` for all agent-side programs: shared packages compile once.
  const staging = join(out, 'staging');
  mkdirSync(staging, { recursive: true });
  await build(BASE_TAGS, staging + '/', agent.map((b) => `./${b.dir}`));
  for (const b of agent) renameSync(join(staging, b.dir.split('/').pop()!), join(bin, b.binary));
  rmSync(staging, { recursive: true, force: true });
  await build(OPERATOR_TAGS, join(bin, OPERATOR_BINARY.binary), [`./${OPERATOR_BINARY.dir}`]);

  const binaries = [...agent.map((b) => b.binary), OPERATOR_BINARY.binary];
  stageBpf(src, out);
  writeFileSync(stampPath, JSON.stringify({ key, binaries } satisfies Stamp, null, 2) + '\n');
  return binaries;
}

/** Parts of bpf/ that upstream's install-bpf leaves out of /var/lib/cilium/bpf. */
const BPF_EXCLUDE = new Set(['tests', 'complexity-tests', 'custom', 'Makefile', 'Makefile.bpf', '.gitignore']);

/** out/cilium-<label>/bpf: the BPF sources the agent compiles at run time. */
export function stageBpf(src: CiliumSource, out: string): string {
  const dest = join(out, 'bpf');
  rmSync(dest, { recursive: true, force: true });
  const root = join(src.dir, 'bpf');
  cpSync(root, dest, {
    recursive: true,
    filter: (path) => {
      const rel = path.slice(root.length + 1);
      if (rel === '') return true;
      const first = rel.split('/')[0]!;
      if (BPF_EXCLUDE.has(first) && !rel.includes('/')) return false;
      if (first === 'tests' || first === 'complexity-tests' || first === 'custom') return false;
      // build leftovers upstream ignores (bpf/.gitignore)
      return !/\.(o|i|s|ll)$/.test(rel);
    },
  });
  return dest;
}

export function bpfDir(t: CiliumTarget): string {
  return join(ciliumOut(t), 'bpf');
}
