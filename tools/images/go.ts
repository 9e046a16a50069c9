import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './cache.ts';
import { goEnv } from '../../config/go-env.ts';
import type { Runner } from './run.ts';

export { goEnv, NO_SUMDB } from '../../config/go-env.ts';

export interface ModuleInfo {
  Path: string;
  Version: string;
  Dir: string;
  GoMod: string;
  Time?: string;
  Origin?: { Hash?: string };
}

/** Downloads one module version and says where it landed. */
export async function downloadModule(r: Runner, mod: string, version: string): Promise<ModuleInfo> {
  const { stdout } = await r.run('go', ['mod', 'download', '-json', `${mod}@${version}`], {
    env: goEnv(),
    capture: true,
    cwd: cacheDir('src'),
  });
  const info = JSON.parse(stdout) as ModuleInfo & { Error?: string };
  if (info.Error) r.fail(`go mod download ${mod}@${version}: ${info.Error}`);
  return info;
}

/** `replace` lines of a go.mod, as [from, to] (local paths stay as written). */
export function replacesOf(goModText: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const lines = goModText.split('\n');
  let inBlock = false;
  for (const raw of lines) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (line.startsWith('replace (')) { inBlock = true; continue; }
    if (inBlock && line === ')') { inBlock = false; continue; }
    const body = inBlock ? line : line.startsWith('replace ') ? line.slice('replace '.length) : '';
    const m = /^(\S+)(?:\s+\S+)?\s*=>\s*(.+)$/.exec(body);
    if (m) out.push([m[1]!, m[2]!.trim()]);
  }
  return out;
}

export interface WrapperModule {
  dir: string;
  /** The go.mod text that was written. */
  goMod: string;
}

/**
 * Writes a throwaway main module under src/<name> that requires `require` and
 * carries `replaces` — the way to build a module whose own go.mod needs
 * replace directives (they only apply in the main module).
 */
export function writeWrapperModule(
  name: string,
  goVersion: string,
  require: Array<[string, string]>,
  replaces: Array<[string, string]>,
  files: Record<string, string> = {},
  upstreamGoSum?: string,
): WrapperModule {
  const dir = cacheDir('src', name);
  const goMod = [
    `module netrepro.local/${name}`,
    '',
    `go ${goVersion}`,
    '',
    'require (',
    ...require.map(([m, v]) => `\t${m} ${v}`),
    ')',
    '',
    ...(replaces.length ? ['replace (', ...replaces.map(([a, b]) => `\t${a} => ${b}`), ')', ''] : []),
  ].join('\n');
  const path = join(dir, 'go.mod');
  if (!existsSync(path) || readFileSync(path, 'utf8') !== goMod) {
    writeFileSync(path, goMod);
  }
  // Start from the upstream go.sum: its hashes verify the dependencies without
  // asking the checksum database, which here lacks some versions.
  if (upstreamGoSum && existsSync(upstreamGoSum)) {
    const sumPath = join(dir, 'go.sum');
    const have = existsSync(sumPath) ? readFileSync(sumPath, 'utf8').split('\n') : [];
    const merged = [...new Set([...have, ...readFileSync(upstreamGoSum, 'utf8').split('\n')].filter(Boolean))].sort();
    writeFileSync(sumPath, merged.join('\n') + '\n');
  }
  for (const [rel, text] of Object.entries(files)) {
    const p = join(dir, rel);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, text);
  }
  return { dir, goMod };
}

/** The `go` directive of a go.mod text. */
export function goDirective(goModText: string): string {
  return /^go\s+(\S+)/m.exec(goModText)?.[1] ?? '1.22';
}
