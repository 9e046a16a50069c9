import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The one cache root (NETREPRO_CACHE, default ~/.cache/netrepro): built tools,
 * Go caches, image build steps and the kubeconfigs of clusters netrepro made.
 */
export const cacheRoot = (env = process.env) => env.NETREPRO_CACHE || join(homedir(), '.cache', 'netrepro');
/** A folder under the cache root, created when missing. */
export function cacheSubdir(...parts: string[]): string {
  const dir = join(cacheRoot(), ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}
export const toolBinDir = (env = process.env) => join(cacheRoot(env), 'bin');
export const kubeconfigPath = (cluster: string, env = process.env) => join(cacheRoot(env), 'kubeconfig', cluster);
