import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './cache.ts';
import { downloadModule, goDirective, goEnv, replacesOf, writeWrapperModule } from './go.ts';
import type { Runner } from './run.ts';

/** How to build binaries out of one Go module at one version. */
export interface ModuleBuild {
  /** Name of the output dir (out/<name>-<version>) and wrapper module. */
  name: string;
  module: string;
  version: string;
  /** Import paths of main packages; the binary is named after the last element unless renamed. */
  packages: Array<string | { pkg: string; binary: string }>;
  ldflags?: string[];
  tags?: string[];
  cgo?: boolean;
  /**
   * Upstream `replace X => ../dir` lines point at sibling modules of the same
   * repository; say which version of X to use instead (undefined drops the line).
   */
  siblingVersion?: (modulePath: string) => string | undefined;
}

export function moduleOut(b: Pick<ModuleBuild, 'name' | 'version'>): string {
  return cacheDir('out', `${b.name}-${b.version}`);
}

export function binaryNames(b: ModuleBuild): string[] {
  return b.packages.map((p) => (typeof p === 'string' ? p.split('/').pop()! : p.binary));
}

export function moduleBuilt(b: ModuleBuild): boolean {
  return binaryNames(b).every((n) => existsSync(join(moduleOut(b), n)));
}

/**
 * Builds main packages of `module@version` inside a wrapper module that repeats
 * the upstream replace directives (they only apply in a main module).
 */
export async function buildModule(r: Runner, b: ModuleBuild): Promise<string> {
  const info = await downloadModule(r, b.module, b.version);
  const upstream = readFileSync(info.GoMod, 'utf8');
  const replaces: Array<[string, string]> = [];
  for (const [from, to] of replacesOf(upstream)) {
    if (to.startsWith('./') || to.startsWith('../')) {
      const v = b.siblingVersion?.(from);
      if (v) replaces.push([from, `${from} ${v}`]);
    } else {
      replaces.push([from, to]);
    }
  }
  const mod = writeWrapperModule(`${b.name}-${b.version}`, goDirective(upstream), [[b.module, b.version]], replaces, {}, join(info.Dir, 'go.sum'));
  const out = moduleOut(b);
  const env = goEnv(b.cgo ? { CGO_ENABLED: '1' } : {});
  const flags = ['-trimpath', '-ldflags', ['-s', '-w', ...(b.ldflags ?? [])].join(' ')];
  if (b.tags?.length) flags.push('-tags', b.tags.join(','));
  await r.run('go', ['mod', 'download', b.module], { cwd: mod.dir, env });
  const plain = b.packages.filter((p): p is string => typeof p === 'string');
  if (plain.length) await r.run('go', ['build', ...flags, '-o', out + '/', ...plain], { cwd: mod.dir, env, tailLines: 15 });
  for (const p of b.packages) {
    if (typeof p === 'string') continue;
    await r.run('go', ['build', ...flags, '-o', join(out, p.binary), p.pkg], { cwd: mod.dir, env, tailLines: 15 });
  }
  return out;
}
