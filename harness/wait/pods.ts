import { PODS_READY_MS } from '../timeouts.ts';
import type { V1Pod } from '@kubernetes/client-node';
import type { Kube } from '../kube.ts';
import { until, type UntilOptions } from './until.ts';

const isReady = (p: V1Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

export async function podsReady(kube: Kube, namespace: string, labelSelector: string, count = 1, opts: UntilOptions = { timeoutMs: PODS_READY_MS }): Promise<V1Pod[]> {
  let last = '';
  return until(
    `${count} ready pod(s) matching ${labelSelector} in ${namespace}`,
    async () => {
      const pods = (await kube.core.listNamespacedPod({ namespace, labelSelector })).items.filter((p) => !p.metadata?.deletionTimestamp);
      const ready = pods.filter(isReady);
      last = pods.map((p) => `${p.metadata?.name}=${p.status?.phase}${isReady(p) ? '/ready' : ''}`).join(', ') || 'no pods';
      return ready.length >= count ? ready : undefined;
    },
    opts,
    () => last,
  );
}

/** None of the named pods exists any more. */
export async function podsGone(kube: Kube, namespace: string, names: string[], opts: UntilOptions = { timeoutMs: PODS_READY_MS }) {
  let left: string[] = names;
  await until(
    `pods ${names.join(', ')} in ${namespace} to be gone`,
    async () => {
      const present = new Set((await kube.core.listNamespacedPod({ namespace })).items.map((p) => p.metadata!.name!));
      left = names.filter((n) => present.has(n));
      return left.length === 0 ? true : undefined;
    },
    opts,
    () => `still present: ${left.join(', ')}`,
  );
}
