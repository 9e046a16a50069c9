import type { ImageSource } from '../../../harness/image-source.ts';

/** What every add-on install needs to know about the cluster. */
export interface AddonContext {
  clusterName: string;
  imageSource: ImageSource;
}
