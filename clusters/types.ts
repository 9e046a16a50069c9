export type VariantName = 'smoke' | 'bpf' | 'kube-proxy' | 'race' | 'cnp' | 'puzzle';
export const VARIANT_NAMES: readonly VariantName[] = ['smoke', 'bpf', 'kube-proxy', 'race', 'cnp', 'puzzle'];

import type { Story } from '../harness/story.ts';

export type HelmValues = Record<string, unknown>;
export type AddonName = 'metallb';

export interface Variant {
  name: VariantName;
  summary: string;
  nodes: { controlPlanes: number; workers: number };
  kubeProxy: 'iptables' | 'none';
  /** Cilium helm values on top of clusters/cilium-base.ts; absent = kind's default CNI (kindnetd). */
  cilium?: HelmValues;
  /**
   * Minors of pins.json `cilium.controls` (pre-fix releases kept as positive
   * controls) this variant also runs: the matrix gives it one more cell per
   * minor, e.g. `['1.16']` → `race@1.16.4`. Other variants get no control cells.
   */
  ciliumControls?: readonly string[];
  addons: AddonName[];
  /** The story specs install ingress-nginx releases themselves, into their own namespaces. */
  ingressNginx: boolean;
  /** The stories this project runs: every `*.spec.ts` in each story's folder. */
  stories: readonly Story[];
}
