import type { HelmValues } from '../../clusters/types.ts';
import type { ClusterFeatures } from '../../harness/features.ts';

/** Story A's Cilium configurations on the bpf variant, by case id. */
export const SOCKET_LB_CASES = {
  default: {},
  'terminate-pod-connections-off': { socketLB: { terminatePodConnections: false } },
  'host-namespace-only': { socketLB: { hostNamespaceOnly: true } },
} as const satisfies Record<string, HelmValues>;

export type SocketLbCase = keyof typeof SOCKET_LB_CASES;
export const SOCKET_LB_CASE_IDS = Object.keys(SOCKET_LB_CASES) as SocketLbCase[];
export const isSocketLbCase = (c: string): c is SocketLbCase => c in SOCKET_LB_CASES;

/** The control: the same story on a cluster where kube-proxy translates Services. */
export const KUBE_PROXY_CASE = 'kube-proxy';
export type AuthUrlCase = SocketLbCase | typeof KUBE_PROXY_CASE;

/** Which case an existing cluster is in, read from its Cilium config. */
export function currentSocketLbCase(f: ClusterFeatures): AuthUrlCase {
  if (!f.cilium || !f.kubeProxyReplacement || !f.socketLB.enabled) return KUBE_PROXY_CASE;
  if (f.socketLB.hostNamespaceOnly) return 'host-namespace-only';
  if (!f.socketLB.terminatePodConnections) return 'terminate-pod-connections-off';
  return 'default';
}
