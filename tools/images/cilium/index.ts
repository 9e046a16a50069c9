import { formatDuration } from '../../../harness/duration.ts';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pins } from '../../../config/pins.ts';
import { cacheDir, keyOf } from '../cache.ts';
import { hasImage } from '../docker.ts';
import { StepError, type Runner } from '../run.ts';
import type { Step } from '../steps.ts';
import { buildCiliumBinaries } from './build.ts';
import { hostAdaptationIds } from './host-adaptations.ts';
import {
  buildCiliumImages, buildRuntime, ciliumImagesPresent, ciliumTags, imageRecipe, runtimeInputs, runtimeTag,
} from './images.ts';
import {
  pinnedTarget, prepareSource, requestedRef, resolveRef, selectedVersions, sourceTarget, type CiliumTarget,
} from './source.ts';
import { requestedCiliumSource } from '../../../config/env.ts';

/**
 * Cilium from its Go module, no registry:
 *
 *   cilium-runtime   Debian bookworm + clang 19 (binary and its libraries only), bpftool, iproute2,
 *                    iptables (+ wrapper), ipset, kmod; shared by all versions
 *   cilium           for each selected version (default: pins' default minor;
 *                    CILIUM_VERSIONS=all | 1.18,1.20 | 1.16 (a positive control,
 *                    pins.json cilium.controls; "all" includes them); or
 *                    CILIUM_REF=<commit>):
 *                    go build in a copy of github.com/cilium/cilium@<version>,
 *                    then netrepro/cilium, netrepro/cilium-operator-generic and
 *                    netrepro/hubble-relay tagged v<version> (or v<pseudo-version>)
 *
 * Images are labelled with a key of what shaped them (module version, recipe,
 * runtime), so a changed recipe rebuilds while an unchanged one is skipped
 * whichever selection asked for it.
 */

const RUNTIME_RECIPE = 1;
const IMAGES_RECIPE = 1;

function runtimeKey(p: Pins): string {
  return keyOf('cilium-runtime', RUNTIME_RECIPE, runtimeInputs(p));
}

/** Label of the three images of one target. */
export function ciliumImagesKey(p: Pins, t: CiliumTarget): string {
  // Adaptations join the key only where a version gets any, so other versions keep their images.
  const adapted = hostAdaptationIds(t.label);
  return keyOf('cilium-images', IMAGES_RECIPE, t.moduleVersion, runtimeKey(p), imageRecipe(p), p.cniPlugins, ...(adapted.length ? [adapted] : []));
}

export const ciliumRuntimeStep: Step = {
  name: 'cilium-runtime',
  summary: 'Cilium runtime base: bookworm + clang 19 (binary and its libraries only), bpftool, iproute2, iptables, ipset',
  deps: ['base'],
  inputs: (p) => ({ key: runtimeKey(p) }),
  present: (ctx) => hasImage(ctx.r, runtimeTag(ctx.pins), runtimeKey(ctx.pins)),
  async run({ pins, r }) {
    await buildRuntime(r, pins, runtimeKey(pins));
  },
};

/** CILIUM_REF → pseudo-version, remembered so later runs need no proxy look-up. */
function refMemo(ref: string): string {
  return join(cacheDir('cilium-refs'), `${ref.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
}

function rememberedRef(ref: string): CiliumTarget | undefined {
  const path = refMemo(ref);
  // Only full commit hashes are stable; branches move, so resolve them each time.
  if (!/^[0-9a-f]{40}$/.test(ref) || !existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as CiliumTarget;
}

async function targets(r: Runner, p: Pins): Promise<CiliumTarget[]> {
  const src = requestedCiliumSource();
  if (src) return [sourceTarget(src)];
  const ref = requestedRef();
  if (ref) {
    const known = rememberedRef(ref);
    if (known) return [known];
    const t = await resolveRef(r, ref);
    writeFileSync(refMemo(ref), JSON.stringify(t) + '\n');
    console.log(`  ${ref} → github.com/cilium/cilium@${t.moduleVersion}`);
    return [t];
  }
  return selectedVersions(p).map(pinnedTarget);
}

export const ciliumStep: Step = {
  name: 'cilium',
  summary:
    'Cilium agent, operator-generic, hubble-relay images from github.com/cilium/cilium (default minor; CILIUM_VERSIONS=all|1.18,…, a control minor such as 1.16 too; CILIUM_REF=<commit> or --ref)',
  deps: ['cilium-runtime', 'cni-plugins'],
  inputs: (p) => ({
    selection: requestedCiliumSource()
      ? { source: sourceTarget(requestedCiliumSource()!).label }
      : requestedRef() ? { ref: requestedRef() } : { versions: selectedVersions(p) },
    runtime: runtimeKey(p),
    images: IMAGES_RECIPE,
  }),
  async present(ctx) {
    const ref = requestedRef();
    const src = requestedCiliumSource();
    const ts = src ? [sourceTarget(src)] : ref ? [rememberedRef(ref)] : selectedVersions(ctx.pins).map(pinnedTarget);
    for (const t of ts) {
      if (!t || !(await ciliumImagesPresent(ctx.r, ctx.pins, t, ciliumImagesKey(ctx.pins, t)))) return false;
    }
    return true;
  },
  async run({ pins, r }) {
    // Each version on its own: one that cannot be built does not stop the others.
    const failed: string[] = [];
    for (const t of await targets(r, pins)) {
      try {
        await buildTarget(r, pins, t);
      } catch (err) {
        if (!(err instanceof StepError)) throw err;
        console.log(`  ${t.label}: FAILED — ${err.message}`);
        failed.push(t.label);
      }
    }
    if (failed.length) r.fail(`Cilium ${failed.join(', ')} not built (reasons above)`);
  },
};

async function buildTarget(r: Runner, pins: Pins, t: CiliumTarget): Promise<void> {
  const key = ciliumImagesKey(pins, t);
  if (await ciliumImagesPresent(r, pins, t, key)) {
    console.log(`  ${t.label}: images up to date`);
    return;
  }
  const t0 = performance.now();
  const src = await prepareSource(r, t);
  for (const line of src.substitutes) console.log(`  ${t.label}: substitute ${line}`);
  for (const line of src.adaptations) console.log(`  ${t.label}: host adaptation ${line}`);
  const binaries = await buildCiliumBinaries(r, t, src);
  const t1 = performance.now();
  await buildCiliumImages(r, pins, t, binaries, key);
  const t2 = performance.now();
  const tags = ciliumTags(pins, t);
  console.log(
    `  ${t.label}: binaries ${formatDuration(t1 - t0)}, images ${formatDuration(t2 - t1)} → ${tags.agent}, ${tags.operator}, ${tags.relay}`,
  );
}

/** Steps to add to tools/images/cli.ts STEPS, in order. */
export const ciliumSteps: Step[] = [ciliumRuntimeStep, ciliumStep];
