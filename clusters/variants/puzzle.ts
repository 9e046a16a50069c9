import { ingressStatus } from '../../stories/ingress-status/story.ts';
import type { Variant } from '../types.ts';

export const puzzle: Variant = {
  name: 'puzzle',
  summary: 'MetalLB (pool inside the kind docker subnet) ; story B installs three ingress-nginx releases',
  nodes: { controlPlanes: 1, workers: 1 },
  kubeProxy: 'iptables',
  ingressNginx: true,
  addons: ['metallb'],
  stories: [ingressStatus],
};
