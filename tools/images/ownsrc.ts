import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goEnv, writeWrapperModule } from './go.ts';
import type { Runner } from './run.ts';

/** Our own Go programs live in images/go/<name>/ (sources only; go.mod is generated). */
export const OWN_GO_DIR = fileURLToPath(new URL('./go/', import.meta.url));

export function ownSources(name: string): Record<string, string> {
  const dir = join(OWN_GO_DIR, name);
  const files: Record<string, string> = {};
  for (const f of readdirSync(dir)) if (f.endsWith('.go')) files[f] = readFileSync(join(dir, f), 'utf8');
  return files;
}

/**
 * Builds one of our own Go programs into `out` (a file path). Its go.mod is
 * generated in the cache from `require` so versions stay in pins.json.
 */
export async function buildOwnGo(
  r: Runner,
  name: string,
  out: string,
  opts: { require?: Array<[string, string]>; ldflags?: string[]; goVersion?: string } = {},
): Promise<void> {
  const mod = writeWrapperModule(`own-${name}`, opts.goVersion ?? '1.24', opts.require ?? [], [], ownSources(name));
  if (opts.require?.length) await r.run('go', ['mod', 'tidy'], { cwd: mod.dir, env: goEnv() });
  await r.run('go', ['build', '-trimpath', '-ldflags', ['-s', '-w', ...(opts.ldflags ?? [])].join(' '), '-o', out, '.'], {
    cwd: mod.dir,
    env: goEnv(),
  });
}
