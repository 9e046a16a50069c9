import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UserError } from './errors.ts';

/**
 * A Cilium source tree on disk (CILIUM_SRC): a contributor's checkout, with
 * uncommitted changes. Its images are tagged by the tree's content, so an
 * edit makes new images and a new cluster shape, and an unchanged tree reuses
 * both: `<VERSION>-src.<12 hex>` (e.g. 1.16.5-src.3f2a9c1b0d4e). Expectation
 * rows read the part before "-src" as the version (semver coerce).
 */
export interface CiliumSourceTree {
  dir: string;
  /** The tree's VERSION file ("1.16.5", "1.19.0-dev"). */
  version: string;
  /** sha256 over every file's path and content, .git and build leftovers left out. */
  hash: string;
  /** What image tags carry after "v". */
  label: string;
}

export const SOURCE_LABEL_MARK = '-src.';
const HASH_CHARS = 12;
const CILIUM_MODULE_LINE = /^module github\.com\/cilium\/cilium\s*$/m;
/** Not part of what is built: version control, editor and build leftovers. */
const IGNORED_DIRS = new Set(['.git', '_build', 'node_modules', '.idea', '.vscode']);
const IGNORED_FILE = /\.(o|a|i|ll|s|swp)$|~$/;

export const isSourceLabel = (version: string) => version.includes(SOURCE_LABEL_MARK);

/** Checks that `dir` is a Cilium source tree; one line naming what is missing otherwise. */
export function checkSourceTree(dir: string): { dir: string; version: string } {
  const abs = resolve(dir);
  const hint = 'point CILIUM_SRC at the root of a cilium/cilium checkout (where go.mod and VERSION are)';
  if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new UserError(`CILIUM_SRC=${dir}: no such directory; ${hint}`);
  const goMod = join(abs, 'go.mod');
  if (!existsSync(goMod) || !CILIUM_MODULE_LINE.test(readFileSync(goMod, 'utf8'))) {
    throw new UserError(`CILIUM_SRC=${dir}: go.mod there does not declare module github.com/cilium/cilium; ${hint}`);
  }
  const versionFile = join(abs, 'VERSION');
  if (!existsSync(versionFile)) throw new UserError(`CILIUM_SRC=${dir}: no VERSION file; ${hint}`);
  const version = readFileSync(versionFile, 'utf8').trim();
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) throw new UserError(`CILIUM_SRC=${dir}: VERSION holds "${version}", not a version like 1.16.5; ${hint}`);
  return { dir: abs, version };
}

function* files(root: string, dir: string = root): Generator<string> {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (!IGNORED_DIRS.has(e.name)) yield* files(root, path);
    } else if (e.isFile() && !IGNORED_FILE.test(e.name)) {
      yield relative(root, path);
    }
  }
}

/** Hash of the tree's files (path and content); symlinks and ignored files left out. */
export function treeHash(dir: string): string {
  const h = createHash('sha256');
  for (const rel of files(dir)) {
    h.update(rel).update('\0').update(readFileSync(join(dir, rel))).update('\0');
  }
  return h.digest('hex');
}

export function sourceTree(dir: string): CiliumSourceTree {
  const { dir: abs, version } = checkSourceTree(dir);
  const hash = treeHash(abs);
  return { dir: abs, version, hash, label: `${version}${SOURCE_LABEL_MARK}${hash.slice(0, HASH_CHARS)}` };
}
