import { UserError } from './errors.ts';

export type ImageSourceChoice = 'local' | 'upstream' | 'auto';

export interface RunOptions {
  /** Run against this existing cluster instead of provisioning one. */
  kubeconfig?: string;
  recreate: boolean;
  keep: boolean;
  keepOnFailure: boolean;
  allowDisruptive: boolean;
  images: ImageSourceChoice;
  ciliumVersion?: string;
  ciliumRef?: string;
  reportsDir: string;
}

const flag = (v: string | undefined) => v === '1' || v === 'true' || v === 'yes';

export function readRunOptions(env: NodeJS.ProcessEnv = process.env): RunOptions {
  const images = (env.NETREPRO_IMAGES ?? 'auto') as ImageSourceChoice;
  if (!['local', 'upstream', 'auto'].includes(images)) {
    throw new UserError(`NETREPRO_IMAGES="${env.NETREPRO_IMAGES}" is not one of local, upstream: unset it to choose automatically`);
  }
  return {
    kubeconfig: env.NETREPRO_KUBECONFIG || undefined,
    recreate: flag(env.NETREPRO_RECREATE),
    keep: flag(env.NETREPRO_KEEP),
    keepOnFailure: flag(env.NETREPRO_KEEP_ON_FAILURE),
    allowDisruptive: flag(env.NETREPRO_ALLOW_DISRUPTIVE),
    images,
    ciliumVersion: env.CILIUM_VERSION || undefined,
    ciliumRef: requestedCiliumRef(env),
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
/** An upstream Cilium commit to build and run instead of a pinned release. */
export const requestedCiliumRef = (env = process.env) => env.CILIUM_REF || undefined;
/** Running as a GitHub Actions job (annotations and job summaries go to GitHub). */
export const onGitHubActions = (env = process.env) => env.GITHUB_ACTIONS === 'true';
