import { loadBalance } from '../../stories/load-balance/story.ts';
import type { Variant } from '../types.ts';

export const cnp: Variant = {
  name: 'cnp',
  summary: 'one control plane and three workers, Cilium with Hubble; story D',
  nodes: { controlPlanes: 1, workers: 3 },
  kubeProxy: 'none',
  cilium: {
    kubeProxyReplacement: true,
    // Pod traffic must take the per-packet service LB in bpf_lxc (CT_SERVICE
    // entries), the path of cilium#14268, not socket LB at connect().
    socketLB: { hostNamespaceOnly: true },
    hubble: { enabled: true, relay: { enabled: false } },
  },
  ingressNginx: false,
  addons: [],
  stories: [loadBalance],
};
