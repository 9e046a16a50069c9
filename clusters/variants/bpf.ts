import { authUrl } from '../../stories/auth-url/story.ts';
import { udpClients } from '../../stories/udp-clients/story.ts';
import type { Variant } from '../types.ts';

export const bpf: Variant = {
  name: 'bpf',
  summary: 'Cilium replaces kube-proxy (socket LB on); story A and its socketLB cases, story E',
  nodes: { controlPlanes: 1, workers: 1 },
  kubeProxy: 'none',
  cilium: { kubeProxyReplacement: true },
  ingressNginx: true,
  addons: [],
  stories: [authUrl, udpClients],
};
