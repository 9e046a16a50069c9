import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where images/ keeps built tools and caches, and where clusters' kubeconfigs live. */
export const cacheDir = (env = process.env) => env.NETREPRO_CACHE ?? join(homedir(), '.cache', 'netrepro');
export const toolBinDir = (env = process.env) => join(cacheDir(env), 'bin');
export const kubeconfigPath = (cluster: string, env = process.env) => join(cacheDir(env), 'kubeconfig', cluster);
