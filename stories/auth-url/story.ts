import { defineStory } from '../../harness/story.ts';
import { CILIUM_ISSUE, INGRESS_NGINX_ISSUE } from '../../harness/links.ts';
import { KUBE_PROXY_CASE, SOCKET_LB_CASE_IDS } from './cases.ts';
import { PROBE_FLOOR } from './probe-windows.ts';

export const authUrl = defineStory(import.meta.url, {
  id: 'auth-url',
  title: 'auth-url answers 500 after CoreDNS restarts',
  cases: [...SOCKET_LB_CASE_IDS, KUBE_PROXY_CASE],
  casesOn: (variant) => (variant === 'bpf' ? SOCKET_LB_CASE_IDS : [KUBE_PROXY_CASE]),
  timerFloor: () => PROBE_FLOOR,
  expectations: [
    {
      case: 'terminate-pod-connections-off', variant: 'bpf', cilium: '>=1.18.0', expected: 'affected',
      links: [`${INGRESS_NGINX_ISSUE}9222`, `${CILIUM_ISSUE}27300`, `${CILIUM_ISSUE}33459`],
      basis: 'socket LB translates the kube-dns ClusterIP once at connect(); with pod-netns socket termination off nothing tears the stale socket down',
    },
    {
      case: 'default', variant: 'bpf', cilium: '>=1.18.0', expected: 'healthy',
      links: [`${CILIUM_ISSUE}33459`, `${CILIUM_ISSUE}37745`, `${CILIUM_ISSUE}48096`, `${CILIUM_ISSUE}48244`],
      basis: 'bpf-lb-sock-terminate-pod-connections (on by default since 1.16) destroys sockets to deleted backends; mixed-protocol fix in 1.17.5/1.18',
    },
    {
      case: 'host-namespace-only', variant: 'bpf', cilium: '>=1.18.0', expected: 'healthy',
      links: [`${CILIUM_ISSUE}12859`, `${CILIUM_ISSUE}28820`],
      basis: 'socketLB.hostNamespaceOnly=true leaves pod traffic to per-packet translation in bpf_lxc',
    },
    {
      case: 'kube-proxy', variant: 'kube-proxy', cilium: '*', expected: 'healthy',
      links: [`${INGRESS_NGINX_ISSUE}9222`],
      basis: 'kube-proxy DNATs per packet, so a connected UDP socket follows the new endpoints',
    },
  ],
});
