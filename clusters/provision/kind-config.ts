import { stringify } from 'yaml';
import type { Variant } from '../types.ts';

export const POD_SUBNET = '10.244.0.0/16';
export const SERVICE_SUBNET = '10.96.0.0/16';

export interface KindNode {
  role: 'control-plane' | 'worker';
  image?: string;
}

export interface KindConfig {
  kind: 'Cluster';
  apiVersion: 'kind.x-k8s.io/v1alpha4';
  name: string;
  networking: { disableDefaultCNI: boolean; kubeProxyMode: 'iptables' | 'none'; podSubnet: string; serviceSubnet: string };
  nodes: KindNode[];
}

/**
 * `netrepro-<variant>`, and for a variant with Cilium `netrepro-<variant>-<version>` with dashes
 * (netrepro-bpf-1-20-2): cells of one variant on two Cilium versions are two clusters that can coexist.
 */
export const clusterName = (variant: Pick<Variant, 'name' | 'cilium'>, ciliumVersion?: string) =>
  variant.cilium && ciliumVersion ? `netrepro-${variant.name}-${ciliumVersion.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}` : `netrepro-${variant.name}`;

export function kindConfig(variant: Variant, nodeImage?: string, ciliumVersion?: string): KindConfig {
  const node = (role: KindNode['role']): KindNode => (nodeImage ? { role, image: nodeImage } : { role });
  return {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    name: clusterName(variant, ciliumVersion),
    networking: {
      disableDefaultCNI: Boolean(variant.cilium),
      kubeProxyMode: variant.kubeProxy,
      podSubnet: POD_SUBNET,
      serviceSubnet: SERVICE_SUBNET,
    },
    nodes: [
      ...Array.from({ length: variant.nodes.controlPlanes }, () => node('control-plane')),
      ...Array.from({ length: variant.nodes.workers }, () => node('worker')),
    ],
  };
}

export const kindConfigYaml = (config: KindConfig) => stringify(config);
