import { execa } from 'execa';
import type { Variant } from '../clusters/types.ts';
import { localTags } from '../config/image-tags.ts';
import { UserError } from '../config/errors.ts';
import type { NodeImageChoice } from '../config/env.ts';
import { pins } from '../config/pins.ts';
import { isUnpinned, resolveCiliumVersion } from '../config/versions.ts';
import { isSourceLabel } from '../config/cilium-source.ts';
import { localImagesFor } from './image-source.ts';
import { LOCAL_QUERY_MS } from './timeouts.ts';
import { toolPath } from './tools.ts';

/**
 * A preloaded node image holds one Cilium version's images and the workloads
 * in its containerd already, so a new cluster needs no `kind load` (one
 * `docker save` tar imported into every node, 97–286 s per cell here).
 */

/** Label on a preloaded node image: the images inside it, as `<ref>@<image id>` joined by commas. */
export const PRELOADED_LABEL = 'netrepro.preloaded';

/** Every image a local-image cluster of any variant loads for one Cilium version: what its preloaded node holds. */
export function preloadableImages(ciliumVersion: string): string[] {
  const t = localTags();
  return [
    t.agnhost, t.curl, t.nginx,
    t.cilium(ciliumVersion), t.ciliumOperator(ciliumVersion), t.hubbleRelay(ciliumVersion),
    t.metallbController, t.metallbSpeaker, t.ingressNginx,
  ];
}

/** The Cilium version whose preloaded node a variant uses: its own, or the default one for variants without Cilium. */
export function preloadVersionFor(variant: Variant, ciliumVersion: string): string {
  return variant.cilium ? ciliumVersion : resolveCiliumVersion(pins);
}

export function encodePreloaded(entries: ReadonlyArray<readonly [ref: string, id: string]>): string {
  return entries.map(([ref, id]) => `${ref}@${id}`).join(',');
}

/** The label's images → their ids; throws on a label this code did not write. */
export function decodePreloaded(label: string, image: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of label.split(',').filter(Boolean)) {
    const at = item.lastIndexOf('@');
    if (at <= 0 || !/^sha256:[0-9a-f]{12,64}$/.test(item.slice(at + 1))) {
      throw new UserError(`${image}: label ${PRELOADED_LABEL} has "${item}", not <image>@sha256:<id>: rebuild it with \`npm run images -- node-preloaded --force\``);
    }
    out.set(item.slice(0, at), item.slice(at + 1));
  }
  return out;
}

export interface ImageFacts {
  id: string;
  preloaded?: string;
}

/** `docker image inspect` of one image: its id and its preloaded label, or undefined when docker does not have it. */
export async function inspectImage(ref: string): Promise<ImageFacts | undefined> {
  const r = await execa(toolPath('docker'), ['image', 'inspect', '--format', `{{.Id}} {{index .Config.Labels "${PRELOADED_LABEL}"}}`, ref], {
    reject: false,
    timeout: LOCAL_QUERY_MS,
  });
  if (r.failed) return undefined;
  const [id = '', label = ''] = r.stdout.trim().split(' ');
  return { id, preloaded: label && label !== '<no value>' ? label : undefined };
}

export interface NodeImagePlan {
  node: string;
  /** Images still to put into the nodes: by `kind load`, or from the local registry when `via` says so. */
  load: string[];
  via?: 'registry';
  /** Images the node image already holds, unchanged since it was made. */
  preloaded: string[];
  /** Images the node holds in an older build: loaded again (the newer tag wins in containerd). */
  stale: string[];
  /** Why the plain node image is used, when `auto` could not use a preloaded one. */
  reason?: string;
}

/**
 * The node image of a local-image cluster and what must still be loaded into
 * it. `load` is what the variant needs: its images and the optional ones that
 * are built.
 */
export async function planNodeImage(
  variant: Variant,
  ciliumVersion: string,
  choice: NodeImageChoice,
  inspect: (ref: string) => Promise<ImageFacts | undefined> = inspectImage,
): Promise<NodeImagePlan> {
  const plan = await planFor(variant, ciliumVersion, choice, inspect);
  // With auto, what the node lacks comes from the local registry when its image is built:
  // measured faster than kind load (README, "A local registry beside kind load").
  if (choice === 'auto' && plan.load.length && (await inspect(localTags().registry)) !== undefined) return { ...plan, via: 'registry' };
  return plan;
}

async function planFor(
  variant: Variant,
  ciliumVersion: string,
  choice: NodeImageChoice,
  inspect: (ref: string) => Promise<ImageFacts | undefined>,
): Promise<NodeImagePlan> {
  const { node, load, optional } = localImagesFor(variant, ciliumVersion);
  const wanted = [...load];
  for (const ref of optional) if ((await inspect(ref)) !== undefined) wanted.push(ref);
  const plain = (reason?: string): NodeImagePlan => ({ node, load: wanted, preloaded: [], stale: [], reason });
  if (choice === 'plain') return plain();
  if (choice === 'registry') return { ...plain(), via: 'registry' };

  const version = preloadVersionFor(variant, ciliumVersion);
  if (isSourceLabel(version) || isUnpinned(pins, version)) {
    const why = `preloaded node images are built for pinned Cilium versions; ${version} is ${isSourceLabel(version) ? 'a source tree' : 'not pinned'}`;
    if (choice === 'preloaded') throw new UserError(`${why}: set NETREPRO_NODE_IMAGE=plain or unset it`);
    return plain(why);
  }
  const tag = localTags().preloadedNode(version);
  const facts = await inspect(tag);
  const missing = `preloaded node image ${tag} is not built`;
  const build = `CILIUM_VERSIONS=${version} npm run images -- node-preloaded`;
  if (!facts) {
    if (choice === 'preloaded') throw new UserError(`${missing}: run \`${build}\`, or set NETREPRO_NODE_IMAGE=plain`);
    return plain(`${missing} (\`${build}\` builds it)`);
  }
  if (!facts.preloaded) throw new UserError(`${tag} has no ${PRELOADED_LABEL} label, so what it holds is unknown: rebuild it with \`${build} --force\``);
  const inside = decodePreloaded(facts.preloaded, tag);
  const plan: NodeImagePlan = { node: tag, load: [], preloaded: [], stale: [] };
  for (const ref of wanted) {
    const baked = inside.get(ref);
    if (baked === undefined) plan.load.push(ref);
    else if (baked === (await inspect(ref))?.id) plan.preloaded.push(ref);
    else {
      plan.stale.push(ref);
      plan.load.push(ref);
    }
  }
  return plan;
}

/** One progress line: which node image, and what is loaded on top of it. */
export function describeNodeImagePlan(plan: NodeImagePlan): string {
  const parts = [`node image ${plan.node}`];
  if (plan.preloaded.length) parts.push(`${plan.preloaded.length} image(s) already inside`);
  if (plan.stale.length) parts.push(`${plan.stale.length} rebuilt since it was made, loaded again (${plan.stale.join(', ')})`);
  const how = plan.via === 'registry' ? 'pull from the local registry' : 'kind load';
  parts.push(plan.load.length ? `${plan.load.length} to ${how}` : `nothing to ${how}`);
  if (plan.reason) parts.push(`not preloaded: ${plan.reason}`);
  return parts.join('; ');
}
