import { existsSync } from 'node:fs';
import { UserError } from '../../config/errors.ts';
import { Kube } from '../../harness/kube.ts';

/** Checks that an existing cluster's kubeconfig is there and its API server answers. */
export async function connectExisting(kubeconfig: string): Promise<Kube> {
  if (!existsSync(kubeconfig)) throw new UserError(`NETREPRO_KUBECONFIG=${kubeconfig}: no such file; point it at a kubeconfig for the cluster to test`);
  let kube: Kube;
  try {
    kube = new Kube(kubeconfig);
  } catch (e) {
    throw new UserError(`NETREPRO_KUBECONFIG=${kubeconfig} is not a usable kubeconfig (${(e as Error).message})`);
  }
  const server = kube.config.getCurrentCluster()?.server ?? 'unknown server';
  const reachable = await Promise.race([
    kube.core.getAPIResources().then(() => true, () => false),
    new Promise<boolean>((r) => setTimeout(() => r(false), 15_000)),
  ]);
  if (!reachable) throw new UserError(`cluster at ${server} (from ${kubeconfig}) did not answer within 15 s: check the kubeconfig's context and that the cluster is up`);
  return kube;
}
