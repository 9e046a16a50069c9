import { UserError } from './errors.ts';

export type ImageSourceChoice = 'local' | 'upstream' | 'auto';

/** `plain`: the node image plus `kind load`; `preloaded`: the node image of the version; `auto`: preloaded when built. */
/** auto: preloaded when built, else plain; plain: plain node + `kind load`; preloaded: must be built; registry: plain node, images pulled from a local registry. */
export type NodeImageChoice = 'auto' | 'plain' | 'preloaded' | 'registry';
export const NODE_IMAGE_CHOICES: readonly NodeImageChoice[] = ['auto', 'plain', 'preloaded', 'registry'];

export interface RunOptions {
  /** Run against this existing cluster instead of provisioning one. */
  kubeconfig?: string;
  recreate: boolean;
  keep: boolean;
  keepOnFailure: boolean;
  allowDisruptive: boolean;
  images: ImageSourceChoice;
  /** Local images: a node image with the images inside (preloaded) or the plain one plus `kind load`. */
  nodeImage: NodeImageChoice;
  ciliumVersion?: string;
  ciliumRef?: string;
  /** A Cilium source tree whose locally built images the run uses (CILIUM_SRC). */
  ciliumSource?: string;
  /** CILIUM_VERSION may name any exact release, not only pinned ones (NETREPRO_ANY_RELEASE=1, as bisect runs). */
  anyRelease: boolean;
  reportsDir: string;
}

const flag = (v: string | undefined) => v === '1' || v === 'true' || v === 'yes';

export function readRunOptions(env: NodeJS.ProcessEnv = process.env): RunOptions {
  const images = (env.NETREPRO_IMAGES ?? 'auto') as ImageSourceChoice;
  if (!['local', 'upstream', 'auto'].includes(images)) {
    throw new UserError(`NETREPRO_IMAGES="${env.NETREPRO_IMAGES}" is not one of local, upstream: unset it to choose automatically`);
  }
  const ciSha = requestedCiliumCiSha(env);
  if (ciSha && !/^[0-9a-f]{40}$/.test(ciSha)) {
    throw new UserError(`CILIUM_CI_SHA=${ciSha} is not a full commit hash (40 hex digits): Cilium's CI images are tagged by the whole commit`);
  }
  if (ciSha && env.NETREPRO_IMAGES !== 'upstream') {
    throw new UserError(`CILIUM_CI_SHA=${ciSha} runs Cilium's published CI images: set NETREPRO_IMAGES=upstream (built here, use CILIUM_SRC or CILIUM_REF instead)`);
  }
  if (env.CILIUM_SRC && env.CILIUM_VERSION) {
    throw new UserError(`CILIUM_SRC=${env.CILIUM_SRC} and CILIUM_VERSION=${env.CILIUM_VERSION} both name the Cilium to run: unset one`);
  }
  const nodeImage = (env.NETREPRO_NODE_IMAGE || 'auto') as NodeImageChoice;
  if (!NODE_IMAGE_CHOICES.includes(nodeImage)) {
    throw new UserError(`NETREPRO_NODE_IMAGE="${env.NETREPRO_NODE_IMAGE}" is not one of ${NODE_IMAGE_CHOICES.join(', ')}: unset it to use the preloaded node image when it is built`);
  }
  return {
    kubeconfig: env.NETREPRO_KUBECONFIG || undefined,
    recreate: flag(env.NETREPRO_RECREATE),
    keep: flag(env.NETREPRO_KEEP),
    keepOnFailure: flag(env.NETREPRO_KEEP_ON_FAILURE),
    allowDisruptive: flag(env.NETREPRO_ALLOW_DISRUPTIVE),
    images,
    nodeImage,
    ciliumVersion: env.CILIUM_VERSION || undefined,
    ciliumRef: requestedCiliumRef(env),
    ciliumSource: requestedCiliumSource(env),
    anyRelease: flag(env.NETREPRO_ANY_RELEASE),
    reportsDir: reportsDir(env),
  };
}

// Settings read outside a run's options, each from one place.

/** Where concluded cases are appended, one JSON line each (the matrix sets it per cell). */
export const outcomeLogPath = (env = process.env) => env.NETREPRO_OUTCOMES || 'reports/outcomes.jsonl';
/** The report folder (JUnit, evidence bundles). */
export const reportsDir = (env = process.env) => env.NETREPRO_REPORTS || 'reports';
/** `npm run images` echoes every command's output as well as logging it. */
export const verboseImageBuild = (env = process.env) => flag(env.NETREPRO_VERBOSE);
/** The Debian mirror debootstrap and apt use inside image builds. */
export const debianMirror = (env = process.env) => env.NETREPRO_DEBIAN_MIRROR || 'http://deb.debian.org/debian';
/** Cilium minors or patches `npm run images` builds (comma-separated); unset: the default minor. */
export const requestedCiliumVersions = (env = process.env) => env.CILIUM_VERSIONS || undefined;
/** Which block of LoadBalancer addresses in the kind network this run's MetalLB takes (the matrix gives cells side by side different ones). */
export function lbPoolSlot(env = process.env): number {
  const text = env.NETREPRO_LB_SLOT || '0';
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n >= LB_POOL_SLOTS) throw new UserError(`NETREPRO_LB_SLOT="${text}" is not a whole number from 0 to ${LB_POOL_SLOTS - 1}: unset it`);
  return n;
}
/** Blocks of LoadBalancer addresses at the top of the kind network, one per cell side by side. */
export const LB_POOL_SLOTS = 8;
/** An upstream Cilium commit to build and run instead of a pinned release. */
export const requestedCiliumRef = (env = process.env) => env.CILIUM_REF || undefined;
/** A commit of cilium/cilium whose CI images (pins.json ciliumCiImages, tag = the commit) upstream mode runs instead of the release's. */
export const requestedCiliumCiSha = (env = process.env) => env.CILIUM_CI_SHA || undefined;
/** A Cilium source tree on disk to build (`npm run images`) and run (vitest) instead of a pinned release. */
export const requestedCiliumSource = (env = process.env) => env.CILIUM_SRC || undefined;
/** Running as a GitHub Actions job (annotations and job summaries go to GitHub). */
export const onGitHubActions = (env = process.env) => env.GITHUB_ACTIONS === 'true';
