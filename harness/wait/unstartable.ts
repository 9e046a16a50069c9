import type { V1Pod } from '@kubernetes/client-node';
import type { Kube } from '../kube.ts';

/** Waiting reasons no amount of waiting fixes: the image will never be there. */
const NEVER_STARTS = new Set(['ErrImageNeverPull', 'InvalidImageName']);
/** Waiting reasons that usually mean the same, worth naming when a wait times out. */
const LIKELY_STUCK = new Set(['ImagePullBackOff', 'ErrImagePull', 'CrashLoopBackOff', 'CreateContainerConfigError', 'CreateContainerError']);

export interface StuckPod {
  /** The pod can never start as it is: stop waiting. */
  fatal: boolean;
  text: string;
}

/** The first container of these pods that waits for a reason named above, as one line with the fix for a missing image. */
export function stuckContainer(pods: V1Pod[]): StuckPod | undefined {
  for (const pod of pods) {
    for (const c of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
      const reason = c.state?.waiting?.reason;
      if (!reason || !(NEVER_STARTS.has(reason) || LIKELY_STUCK.has(reason))) continue;
      const missingImage = reason === 'ErrImageNeverPull' ? ` — image ${c.image} is not on node ${pod.spec?.nodeName ?? '?'} and the pod may not pull it: load it into the nodes (kind load docker-image ${c.image}) or run where a registry answers` : '';
      return { fatal: NEVER_STARTS.has(reason), text: `pod ${pod.metadata?.name} container ${c.name}: ${reason}${c.state?.waiting?.message ? ` (${c.state.waiting.message.split('\n')[0]})` : ''}${missingImage}` };
    }
  }
  return undefined;
}

/** Pods matched by a workload's label selector. */
export async function podsOf(kube: Kube, namespace: string, matchLabels: Record<string, string> | undefined): Promise<V1Pod[]> {
  if (!matchLabels || Object.keys(matchLabels).length === 0) return [];
  const labelSelector = Object.entries(matchLabels).map(([k, v]) => `${k}=${v}`).join(',');
  return (await kube.core.listNamespacedPod({ namespace, labelSelector })).items;
}
