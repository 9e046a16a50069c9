import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Everything `npm run images` produces outside docker lives under one cache
 * directory (default ~/.cache/netrepro, override with NETREPRO_CACHE), never
 * inside the repository. Layout:
 *
 *   go/mod, go/build   GOMODCACHE and GOCACHE shared by every Go build
 *   src/<name>-<key>   generated wrapper modules (go.mod + our own sources)
 *   out/<name>-<key>   built binaries of one step, keyed by its pins
 *   bin/               toolchain for the suite (kind, helm, kubectl, …)
 *   rootfs/, ctx/      debootstrap trees and docker build contexts
 *   steps/<step>.json  marker of a finished step, with the key it was built for
 *   logs/              full output of every command, one file per step
 */
import { cacheRoot, cacheSubdir as cacheDir } from '../../config/paths.ts';

export { cacheRoot, cacheDir };

/** Short stable hash of whatever shapes an output (pins, recipe text). */
export function keyOf(...inputs: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 12);
}

interface Marker {
  key: string;
  finishedAt: string;
  seconds: number;
}

function markerPath(step: string): string {
  return join(cacheDir('steps'), `${step}.json`);
}

export function isStepDone(step: string, key: string): boolean {
  const path = markerPath(step);
  if (!existsSync(path)) return false;
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as Marker).key === key;
  } catch {
    return false;
  }
}

export function markStepDone(step: string, key: string, seconds: number): void {
  const marker: Marker = { key, finishedAt: new Date().toISOString(), seconds };
  writeFileSync(markerPath(step), JSON.stringify(marker, null, 2) + '\n');
}

export function forgetStep(step: string): void {
  rmSync(markerPath(step), { force: true });
}

/** Free bytes on the filesystem that holds `path` (or its nearest existing parent). */
export function freeBytes(path: string): number {
  let p = path;
  while (!existsSync(p)) p = join(p, '..');
  const s = statfsSync(p);
  return Number(s.bavail) * Number(s.bsize);
}
