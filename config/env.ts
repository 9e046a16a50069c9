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
    ciliumRef: env.CILIUM_REF || undefined,
    reportsDir: env.NETREPRO_REPORTS ?? 'reports',
  };
}
