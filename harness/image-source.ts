import { LOCAL_QUERY_MS } from './timeouts.ts';
import { execa } from 'execa';
import { localTags } from '../config/image-tags.ts';
import type { Variant } from '../clusters/types.ts';
import type { ImageSourceChoice } from '../config/env.ts';
import { UserError } from '../config/errors.ts';
import { pins } from '../config/pins.ts';
import { toolPath } from './tools.ts';
import { ciliumMinor, isUnpinned } from '../config/versions.ts';
import { isSourceLabel } from '../config/cilium-source.ts';

export type ImageSource = 'local' | 'upstream';

export interface WorkloadImages {
  agnhost: string;
  curl: string;
  nginx: string;
  /** An image with perl, Socket and Time::HiRes (story E's UDP clients): the Debian client image locally. */
  perl: string;
}

export function workloadImages(source: ImageSource): WorkloadImages {
  if (source === 'upstream') {
    return { agnhost: pins.upstreamImages.agnhost, curl: pins.upstreamImages.curl, nginx: pins.upstreamImages.nginx, perl: pins.upstreamImages.perl };
  }
  const t = localTags();
  return { agnhost: t.agnhost, curl: t.curl, nginx: t.nginx, perl: t.curl };
}

/**
 * Every local image a variant needs, node image first. `optional` images are
 * loaded when built; the stories that need them skip with the reason otherwise.
 */
export function localImagesFor(variant: Variant, ciliumVersion: string): { node: string; load: string[]; optional: string[] } {
  const t = localTags();
  const load = [t.agnhost, t.curl, t.nginx];
  if (variant.cilium) load.push(t.cilium(ciliumVersion), t.ciliumOperator(ciliumVersion));
  if (variant.cilium && isHubbleRelayOn(variant)) load.push(t.hubbleRelay(ciliumVersion));
  if (variant.addons.includes('metallb')) load.push(t.metallbController, t.metallbSpeaker);
  return { node: t.node, load, optional: variant.ingressNginx ? [t.ingressNginx] : [] };
}

const isHubbleRelayOn = (v: Variant) => Boolean((v.cilium?.hubble as { relay?: { enabled?: boolean } } | undefined)?.relay?.enabled);

export async function imageExists(ref: string): Promise<boolean> {
  const r = await execa(toolPath('docker'), ['image', 'inspect', ref], { reject: false, timeout: LOCAL_QUERY_MS });
  return !r.failed;
}

export async function missingLocalImages(variant: Variant, ciliumVersion: string, exists = imageExists): Promise<string[]> {
  const { node, load } = localImagesFor(variant, ciliumVersion);
  const missing: string[] = [];
  for (const ref of [node, ...load]) if (!(await exists(ref))) missing.push(ref);
  return missing;
}

/** The command that builds the missing local images (`npm run images` builds only the default Cilium minor). */
export function buildCommandFor(missing: readonly string[], ciliumVersion: string): string {
  const cilium = missing.some((ref) => /\/(cilium|hubble)[^/]*:/.test(ref));
  if (cilium && isSourceLabel(ciliumVersion)) return 'CILIUM_SRC=<the same tree> npm run images -- cilium';
  if (cilium && isUnpinned(pins, ciliumVersion)) return `CILIUM_REF=v${ciliumVersion} npm run images -- cilium`;
  return cilium ? `CILIUM_VERSIONS=${ciliumMinor(ciliumVersion)} npm run images` : 'npm run images';
}

/**
 * The image source, chosen explicitly: upstream only when asked
 * (NETREPRO_IMAGES=upstream) or when no local image was ever built (a machine
 * that pulls from registries). Once the local node image exists, local is the
 * choice, and a missing image for the requested Cilium version is an error that
 * gives the build command — never a silent switch to images this machine
 * cannot pull.
 */
export async function chooseImageSource(choice: ImageSourceChoice, variant: Variant, ciliumVersion: string, exists = imageExists): Promise<ImageSource> {
  if (choice === 'upstream' && isSourceLabel(ciliumVersion)) {
    throw new UserError(`Cilium ${ciliumVersion} is built from a source tree (CILIUM_SRC) and exists only as local images: unset NETREPRO_IMAGES=upstream`);
  }
  if (choice === 'upstream') return 'upstream';
  const missing = await missingLocalImages(variant, ciliumVersion, exists);
  if (missing.length === 0) return 'local';
  // A source tree's images exist only here: never fall back to a registry for them.
  if (choice === 'auto' && !isSourceLabel(ciliumVersion) && missing.includes(localImagesFor(variant, ciliumVersion).node)) return 'upstream';
  const what = missing.some((ref) => /\/(cilium|hubble)[^/]*:/.test(ref)) ? `local images for Cilium ${ciliumVersion} are not built` : `${missing.length} local image(s) are not built`;
  throw new UserError(
    `${what} (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}): run \`${buildCommandFor(missing, ciliumVersion)}\`, or set NETREPRO_IMAGES=upstream on a machine that reaches the registries`,
  );
}
