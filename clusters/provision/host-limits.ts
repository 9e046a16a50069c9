import { readFileSync, writeFileSync } from 'node:fs';
import { UserError } from '../../config/errors.ts';

/**
 * Every kind node's kubelet, kube-proxy and systemd take inotify instances from
 * the host's one budget; Debian's default of 128 runs out at about two
 * clusters, and then kube-proxy dies with "too many open files" and nodes
 * never turn Ready.
 */
export const INOTIFY_MINIMUMS = { max_user_instances: 8192, max_user_watches: 1048576 } as const;

const path = (name: string) => `/proc/sys/fs/inotify/${name}`;
const asSysctl = ([name, min]: [string, number]) => `fs.inotify.${name}=${min}`;

export function inotifyShortfall(read = (p: string) => readFileSync(p, 'utf8')): string[] {
  return lowLimits(read).map(asSysctl);
}

function lowLimits(read: (p: string) => string): Array<[string, number]> {
  return Object.entries(INOTIFY_MINIMUMS).filter(([name, min]) => Number(read(path(name)).trim()) < min);
}

/** Raises the limits when allowed (root); otherwise says which sysctl to set. */
export function ensureInotifyLimits(): void {
  const low = lowLimits((p) => readFileSync(p, 'utf8'));
  try {
    for (const [name, min] of low) writeFileSync(path(name), String(min));
  } catch {
    throw new UserError(`inotify limits are too low for kind clusters: run \`sudo sysctl -w ${low.map(asSysctl).join(' ')}\``);
  }
}
