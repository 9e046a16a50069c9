import type { Variant } from '../../types.ts';
import type { Kube } from '../../../harness/kube.ts';
import { step } from '../../../harness/progress.ts';
import type { AddonContext } from './context.ts';
import { installMetallb } from './metallb.ts';

export type { AddonContext } from './context.ts';

/** Installs a variant's add-ons in the order listed. */
export async function installAddons(kube: Kube, variant: Variant, ctx: AddonContext): Promise<void> {
  for (const addon of variant.addons) {
    if (addon === 'metallb') await step('install MetalLB', () => installMetallb(kube, ctx));
  }
}
