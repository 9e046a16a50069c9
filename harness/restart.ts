import { PODS_READY_MS } from './timeouts.ts';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { Kube } from './kube.ts';
import { deploymentRolledOut, until, type UntilOptions } from './wait/index.ts';

const restartedAt = () => ({ spec: { template: { metadata: { annotations: { 'netrepro.io/restartedAt': new Date().toISOString() } } } } });
const strategicMerge = () => setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);

/** `kubectl rollout restart deployment` without waiting: the caller watches the rollout itself. */
export async function startRollout(kube: Kube, namespace: string, name: string): Promise<void> {
  await kube.apps.patchNamespacedDeployment({ namespace, name, body: restartedAt() }, strategicMerge());
}

/** `kubectl rollout restart deployment`, then waits for the new pods. */
export async function restartDeployment(kube: Kube, namespace: string, name: string, opts?: UntilOptions): Promise<void> {
  await startRollout(kube, namespace, name);
  await deploymentRolledOut(kube, namespace, name, opts);
}

/** Deletes the DaemonSet's pod on one node and returns the name of its replacement once it is ready. */
export async function restartDaemonSetPodOnNode(kube: Kube, namespace: string, labelSelector: string, node: string, timeoutMs = PODS_READY_MS): Promise<{ old: string; replacement: string }> {
  const onNode = async () =>
    (await kube.core.listNamespacedPod({ namespace, labelSelector, fieldSelector: `spec.nodeName=${node}` })).items.filter((p) => !p.metadata?.deletionTimestamp);
  const [old] = await onNode();
  if (!old) throw new Error(`no pod matching ${labelSelector} in ${namespace} on node ${node}`);
  await kube.core.deleteNamespacedPod({ namespace, name: old.metadata!.name!, gracePeriodSeconds: 0 });
  const replacement = await until(
    `a ready replacement for ${namespace}/${old.metadata!.name} on ${node}`,
    async () => {
      const pods = await onNode();
      const fresh = pods.find((p) => p.metadata!.uid !== old.metadata!.uid && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      return fresh?.metadata?.name;
    },
    { timeoutMs },
  );
  return { old: old.metadata!.name!, replacement };
}
