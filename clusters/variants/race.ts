import { forwardOrder } from '../../stories/forward-order/story.ts';
import type { Variant } from '../types.ts';

export const race: Variant = {
  name: 'race',
  summary: 'Cilium KPR with BPF masquerade beside iptables kube-proxy; story C',
  nodes: { controlPlanes: 1, workers: 2 },
  kubeProxy: 'iptables',
  cilium: { kubeProxyReplacement: true, bpf: { masquerade: true } },
  // positive control for story C's data plane: 1.16.4 predates cilium#35098 (1.16.5)
  ciliumControls: ['1.16'],
  ingressNginx: false,
  addons: [],
  stories: [forwardOrder],
};
