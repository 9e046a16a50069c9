import { bpf } from './variants/bpf.ts';
import { cnp } from './variants/cnp.ts';
import { kubeProxy } from './variants/kube-proxy.ts';
import { puzzle } from './variants/puzzle.ts';
import { race } from './variants/race.ts';
import { smoke } from './variants/smoke.ts';
import { VARIANT_NAMES, type Variant, type VariantName } from './types.ts';

export const VARIANTS: Record<VariantName, Variant> = {
  smoke,
  bpf,
  'kube-proxy': kubeProxy,
  race,
  cnp,
  puzzle,
};

export function variantByName(name: string): Variant {
  if (!(VARIANT_NAMES as readonly string[]).includes(name)) {
    throw new Error(`unknown variant "${name}": choose one of ${VARIANT_NAMES.join(', ')}`);
  }
  return VARIANTS[name as VariantName];
}

export type { Variant, VariantName } from './types.ts';
