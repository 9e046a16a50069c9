import type { HelmValues } from '../clusters/types.ts';
import type { ClusterFeatures } from './features.ts';

/** Story A's Cilium configurations on the bpf variant, by expectation-table case id. */
export const SOCKET_LB_CASES: Record<string, HelmValues> = {
  default: {},
  'terminate-pod-connections-off': { socketLB: { terminatePodConnections: false } },
  'host-namespace-only': { socketLB: { hostNamespaceOnly: true } },
};

/** Which story-A case an existing cluster is in, read from its Cilium config. */
export function currentSocketLbCase(f: ClusterFeatures): string {
  if (!f.cilium || !f.kubeProxyReplacement || !f.socketLB.enabled) return 'kube-proxy';
  if (f.socketLB.hostNamespaceOnly) return 'host-namespace-only';
  if (!f.socketLB.terminatePodConnections) return 'terminate-pod-connections-off';
  return 'default';
}
