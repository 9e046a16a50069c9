import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../config/errors.ts';

/**
 * Every kind node's kubelet, kube-proxy and systemd take inotify instances from
 * the host's one budget; Debian's default of 128 runs out at about two
 * clusters, and then kube-proxy dies with "too many open files" and nodes
 * never turn Ready.
 */
export const HOST_LIMITS_PATH = fileURLToPath(new URL('../../config/host-limits.json', import.meta.url));
const SYSCTL_PREFIX = 'fs.inotify.';

/** `max_user_instances` etc. → minimum, from config/host-limits.json (which the e2e workflow applies too). */
export function loadInotifyMinimums(path = HOST_LIMITS_PATH): Record<string, number> {
  const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(json)
      .filter(([k]) => k.startsWith(SYSCTL_PREFIX))
      .map(([k, v]) => {
        if (typeof v !== 'number' || !Number.isInteger(v)) throw new UserError(`${path}: ${k} is not a whole number`);
        return [k.slice(SYSCTL_PREFIX.length), v];
      }),
  );
}

export const INOTIFY_MINIMUMS = loadInotifyMinimums();

/** `root` is `/` except in tests, which point it at a stand-in for /proc. */
const path = (name: string, root = '/') => join(root, 'proc/sys/fs/inotify', name);
const asSysctl = ([name, min]: [string, number]) => `${SYSCTL_PREFIX}${name}=${min}`;

export function inotifyShortfall(read = (p: string) => readFileSync(p, 'utf8')): string[] {
  return lowLimits(read).map(asSysctl);
}

function lowLimits(read: (p: string) => string, root = '/'): Array<[string, number]> {
  return Object.entries(INOTIFY_MINIMUMS).filter(([name, min]) => Number(read(path(name, root)).trim()) < min);
}

/** Raises the limits when allowed (root); otherwise says which sysctl to set. */
export function ensureInotifyLimits(root = '/'): void {
  const low = lowLimits((p) => readFileSync(p, 'utf8'), root);
  try {
    for (const [name, min] of low) writeFileSync(path(name, root), String(min));
  } catch {
    throw new UserError(`inotify limits are too low for kind clusters: run \`sudo sysctl -w ${low.map(asSysctl).join(' ')}\``);
  }
}
