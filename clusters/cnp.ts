import type { Variant } from './types.ts';

export const cnp: Variant = {
  name: 'cnp',
  summary: 'one control plane and three workers, Cilium with Hubble; story D',
  nodes: { controlPlanes: 1, workers: 3 },
  kubeProxy: 'none',
  cilium: { kubeProxyReplacement: true, hubble: { enabled: true, relay: { enabled: false } } },
  ingressNginx: false,
  addons: [],
  stories: ['backend-load-stays-even-under-policy'],
};
