import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { goEnv } from '../go.ts';
import type { Runner } from '../run.ts';

/**
 * Dependencies of some Cilium versions that the reachable module proxy refuses
 * ("403 Forbidden: This module version is not available"), and what we build
 * with instead. Each applies only when the version the module tree asks for
 * cannot be downloaded, so a proxy that serves it gets the upstream build.
 *
 * Seen here:
 * - 1.20.2 requires github.com/osrg/gobgp/v4 at a pseudo-version
 *   (v4.6.1-0.20260630022313-d6dee8360046) and sigs.k8s.io/mcs-api/controllers
 *   v0.5.2: both refused.
 * - 1.18.11 replaces k8s.io/apimachinery with Cilium's fork
 *   github.com/cilium/apimachinery v0.33.3-1: refused.
 */
export interface Substitute {
  /** Module path as required by Cilium's go.mod (the left side of a replace). */
  module: string;
  /** Why, and what it changes; printed and logged when applied. */
  why: string;
  /** Build with this version of the same module. */
  version?: string;
  /** Build with our own stand-in module: file name → Go source (go.mod is generated). */
  shim?: Record<string, string>;
  /** Drop Cilium's replace of this module, so its required upstream version is used. */
  dropReplace?: boolean;
}

export const SUBSTITUTES: readonly Substitute[] = [
  {
    module: 'github.com/osrg/gobgp/v4',
    version: 'v4.8.0',
    why: 'the pinned gobgp pseudo-version is refused; v4.8.0 is the release the proxy serves (BGP control plane only, unused by the suite)',
  },
  {
    module: 'sigs.k8s.io/mcs-api/controllers',
    // Cilium reads only this constant from the package; its value is the MCS-API annotation name.
    shim: {
      'controllers.go': `// Package controllers is netrepro's stand-in for sigs.k8s.io/mcs-api/controllers,
// whose release the module proxy here refuses. Cilium uses only this name.
package controllers

// DerivedServiceAnnotation names the Service derived from a ServiceImport.
const DerivedServiceAnnotation = "multicluster.kubernetes.io/derived-service"
`,
    },
    why: 'refused by the proxy; a one-constant stand-in (only clustermesh MCS-API code uses it, unused by the suite)',
  },
  {
    module: 'k8s.io/apimachinery',
    dropReplace: true,
    why: "Cilium's apimachinery fork is refused; upstream k8s.io/apimachinery at the required version is used instead",
  },
];

interface GoModJson {
  Require?: Array<{ Path: string; Version: string }>;
  Replace?: Array<{ Old: { Path: string }; New: { Path: string; Version?: string } }>;
}

/** module@version that `module` resolves to in go.mod (its replace target if any). */
function effective(mod: GoModJson, module: string): { path: string; version: string; replaced: boolean } | undefined {
  const rep = mod.Replace?.find((r) => r.Old.Path === module);
  if (rep) return rep.New.Version ? { path: rep.New.Path, version: rep.New.Version, replaced: true } : undefined;
  const req = mod.Require?.find((r) => r.Path === module);
  return req ? { path: req.Path, version: req.Version, replaced: false } : undefined;
}

async function downloadable(r: Runner, dir: string, path: string, version: string): Promise<boolean> {
  const res = await r.run('go', ['mod', 'download', '-json', `${path}@${version}`], {
    cwd: dir,
    env: goEnv(),
    capture: true,
    allowFailure: true,
  });
  return res.exitCode === 0 && !res.stdout.includes('"Error"');
}

/**
 * Restores the module tree's go.mod and go.sum from the pristine module, then
 * applies the substitutes it needs. Returns one line per applied substitute.
 */
export async function applySubstitutes(r: Runner, dir: string, pristineDir: string): Promise<string[]> {
  copyFileSync(join(pristineDir, 'go.mod'), join(dir, 'go.mod'));
  copyFileSync(join(pristineDir, 'go.sum'), join(dir, 'go.sum'));
  rmSync(join(dir, 'netrepro-shims'), { recursive: true, force: true });
  const { stdout } = await r.run('go', ['mod', 'edit', '-json'], { cwd: dir, env: goEnv(), capture: true });
  const mod = JSON.parse(stdout) as GoModJson;
  const applied: string[] = [];
  for (const s of SUBSTITUTES) {
    const eff = effective(mod, s.module);
    if (!eff) continue;
    if (s.dropReplace && !eff.replaced) continue;
    if (await downloadable(r, dir, eff.path, eff.version)) continue;
    let edit: string;
    if (s.version) {
      edit = `-replace=${s.module}=${s.module}@${s.version}`;
    } else if (s.shim) {
      const shimDir = join(dir, 'netrepro-shims', s.module.replace(/[^A-Za-z0-9]+/g, '-'));
      mkdirSync(shimDir, { recursive: true });
      writeFileSync(join(shimDir, 'go.mod'), `module ${s.module}\n\ngo 1.22\n`);
      for (const [f, text] of Object.entries(s.shim)) writeFileSync(join(shimDir, f), text);
      edit = `-replace=${s.module}=./${join('netrepro-shims', s.module.replace(/[^A-Za-z0-9]+/g, '-'))}`;
    } else if (s.dropReplace) {
      edit = `-dropreplace=${s.module}`;
    } else {
      continue;
    }
    await r.run('go', ['mod', 'edit', edit], { cwd: dir, env: goEnv() });
    const line = `${eff.path}@${eff.version} unavailable → ${s.version ? `${s.module}@${s.version}` : s.shim ? 'netrepro stand-in' : `${s.module} without replace`}: ${s.why}`;
    r.note(`substitute: ${line}`);
    applied.push(line);
  }
  return applied;
}
