import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { Kube } from '../../harness/kube.ts';

/** kubeadm's CoreDNS is probed every 10 s and unready after 3 failures. */
const PROBE_PERIOD_SECONDS = 1;
const FAILURES_BEFORE_UNREADY = 30;

/**
 * On clusters netrepro makes, CoreDNS's readiness is probed every second, so
 * a rollout restart (story A, smoke) moves on as soon as a new pod answers
 * instead of up to 10 s later per pod. A pod still takes 30 s of failures to
 * be marked unready, as with kubeadm's 3 × 10 s.
 */
export async function quickCoreDnsReadiness(kube: Kube): Promise<void> {
  const body = { spec: { template: { spec: { containers: [{ name: 'coredns', readinessProbe: { periodSeconds: PROBE_PERIOD_SECONDS, failureThreshold: FAILURES_BEFORE_UNREADY } }] } } } };
  await kube.apps.patchNamespacedDeployment({ namespace: 'kube-system', name: 'coredns', body }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch));
}
