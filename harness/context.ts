import type { VariantName } from '../clusters/types.ts';
import type { ClusterFeatures } from './features.ts';
import type { ImageSource } from './image-source.ts';

/** Plain data the global setup hands to specs: paths and names, never clients. */
export interface ClusterInfo {
  name: string;
  variant: VariantName;
  mode: 'provisioned' | 'existing';
  kubeconfig: string;
  imageSource: ImageSource;
  versions: { kubernetes: string; cilium?: string; ciliumRef?: string };
  features: ClusterFeatures;
  allowDisruptive: boolean;
  runId: string;
  reportsDir: string;
  /** kind node container names (empty in existing-cluster mode). */
  nodeContainers: string[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    cluster: ClusterInfo;
  }
}
