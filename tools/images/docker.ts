import { cpSync, mkdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cacheDir } from './cache.ts';
import type { Runner } from './run.ts';

export const KEY_LABEL = 'netrepro.key';

/** The build key an image was labelled with, or undefined when docker does not have it. */
export async function imageKey(r: Runner, tag: string): Promise<string | undefined> {
  const res = await r.run('docker', ['image', 'inspect', '--format', `{{index .Config.Labels "${KEY_LABEL}"}}`, tag], {
    capture: true,
    allowFailure: true,
  });
  return res.exitCode === 0 ? res.stdout.trim() : undefined;
}

export async function hasImage(r: Runner, tag: string, key: string): Promise<boolean> {
  return (await imageKey(r, tag)) === key;
}

export type ContextFile = { from: string; mode?: number } | { text: string; mode?: number };

/**
 * `docker build` (classic builder: no BuildKit, nothing is pulled; FROM names
 * only local images or scratch) from a generated context directory.
 */
export async function buildImage(
  r: Runner,
  opts: { tag: string; key: string; dockerfile: string; files?: Record<string, ContextFile> },
): Promise<void> {
  const ctx = join(cacheDir('ctx'), opts.tag.replace(/[^A-Za-z0-9_.-]/g, '_'));
  rmSync(ctx, { recursive: true, force: true });
  mkdirSync(ctx, { recursive: true });
  for (const [dest, f] of Object.entries(opts.files ?? {})) {
    const p = join(ctx, dest);
    mkdirSync(dirname(p), { recursive: true });
    if ('from' in f) cpSync(f.from, p, { recursive: true, dereference: true });
    else writeFileSync(p, f.text);
    if (f.mode !== undefined) chmodSync(p, f.mode);
  }
  writeFileSync(join(ctx, 'Dockerfile'), opts.dockerfile);
  await r.run('docker', ['build', '--label', `${KEY_LABEL}=${opts.key}`, '-t', opts.tag, ctx], {
    env: { DOCKER_BUILDKIT: '0' },
    tailLines: 12,
  });
  rmSync(ctx, { recursive: true, force: true });
}

/** Shell line that installs Debian packages in a Dockerfile RUN and cleans up. */
export function aptInstall(pkgs: string[]): string {
  return `apt-get update && apt-get install -y --no-install-recommends ${pkgs.join(' ')} && apt-get clean && rm -rf /var/lib/apt/lists/*`;
}
