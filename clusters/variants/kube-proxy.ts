import { authUrl } from '../../stories/auth-url/story.ts';
import { udpClients } from '../../stories/udp-clients/story.ts';
import type { Variant } from '../types.ts';

export const kubeProxy: Variant = {
  name: 'kube-proxy',
  summary: 'Cilium beside iptables kube-proxy (no kube-proxy replacement); story A control, story E under kube-proxy',
  nodes: { controlPlanes: 1, workers: 1 },
  kubeProxy: 'iptables',
  cilium: { kubeProxyReplacement: false },
  ingressNginx: true,
  addons: [],
  stories: [authUrl, udpClients],
};
