import type { Variant } from '../../clusters/types.ts';
import type { ImageSource } from '../image-source.ts';
import type { Kube } from '../kube.ts';
import { step } from '../progress.ts';
import { installMetallb } from './metallb.ts';

export interface AddonContext {
  clusterName: string;
  imageSource: ImageSource;
}

/** Installs a variant's add-ons in the order listed. */
export async function installAddons(kube: Kube, variant: Variant, ctx: AddonContext): Promise<void> {
  for (const addon of variant.addons) {
    if (addon === 'metallb') await step('install MetalLB', () => installMetallb(kube, ctx));
  }
}
