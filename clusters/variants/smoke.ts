import { harnessSelfCheck } from '../../stories/harness/story.ts';
import type { Variant } from '../types.ts';

export const smoke: Variant = {
  name: 'smoke',
  summary: 'harness self-check: kind default CNI and iptables kube-proxy',
  nodes: { controlPlanes: 1, workers: 2 },
  kubeProxy: 'iptables',
  ingressNginx: false,
  addons: [],
  stories: [harnessSelfCheck],
};
