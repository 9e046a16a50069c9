import type { Kube } from '../../harness/kube.ts';
import { createNamespace, deleteNamespace } from '../../harness/namespace.ts';
import { startToolbox } from '../../harness/toolbox.ts';
import { deploymentRolledOut } from '../../harness/wait/index.ts';
import { nameResolves } from '../../harness/wait/coredns.ts';

const CHECKED_NAME = 'kubernetes.default.svc.cluster.local';

/**
 * The last step of bring-up: CoreDNS rolled out and a pod resolves a cluster
 * name through it. The checking pod starts while CoreDNS rolls out; both wait
 * for the CNI to give them a sandbox, which on a fresh cluster is most of it.
 */
export async function clusterDnsAnswers(kube: Kube, toolboxImage: string): Promise<void> {
  const namespace = await createNamespace(kube, 'setup-dns-check', 'setup');
  try {
    const [pod] = await Promise.all([startToolbox(kube, { namespace, image: toolboxImage }), deploymentRolledOut(kube, 'kube-system', 'coredns')]);
    await nameResolves(kube, { namespace, name: pod }, CHECKED_NAME);
  } finally {
    await deleteNamespace(kube, namespace);
  }
}
