import type { Kube } from './kube.ts';

/** What a cluster has, read from the cluster itself (used above all in existing-cluster mode). */
export interface ClusterFeatures {
  nodes: string[];
  cilium: boolean;
  ciliumVersion?: string;
  kubeProxy: boolean;
  kubeProxyReplacement: boolean;
  hubble: boolean;
  l7Proxy: boolean;
  socketLB: { enabled: boolean; hostNamespaceOnly: boolean; terminatePodConnections: boolean };
  bpfMasquerade: boolean;
  ingressClasses: string[];
}

const on = (v: string | undefined) => v === 'true' || v === 'strict';

export async function detectFeatures(kube: Kube): Promise<ClusterFeatures> {
  const nodes = (await kube.core.listNode()).items.map((n) => n.metadata!.name!).sort();
  const cfg = await kube.core.readNamespacedConfigMap({ namespace: 'kube-system', name: 'cilium-config' }).then((c) => c.data ?? {}, () => undefined);
  const kubeProxy = await kube.apps.readNamespacedDaemonSet({ namespace: 'kube-system', name: 'kube-proxy' }).then(() => true, () => false);
  const ciliumDs = await kube.apps.readNamespacedDaemonSet({ namespace: 'kube-system', name: 'cilium' }).catch(() => undefined);
  const image = ciliumDs?.spec?.template.spec?.containers[0]?.image ?? '';
  const ingressClasses = (await kube.networking.listIngressClass().catch(() => ({ items: [] }))).items.map((c) => c.metadata!.name!);
  const kpr = on(cfg?.['kube-proxy-replacement']);
  return {
    nodes,
    cilium: cfg !== undefined,
    ciliumVersion: image.match(/:v?(\d+\.\d+\.\d+[^@]*)/)?.[1],
    kubeProxy,
    kubeProxyReplacement: kpr,
    hubble: on(cfg?.['enable-hubble']),
    l7Proxy: on(cfg?.['enable-l7-proxy']),
    socketLB: {
      enabled: kpr ? cfg?.['bpf-lb-sock'] !== 'false' : on(cfg?.['bpf-lb-sock']),
      hostNamespaceOnly: on(cfg?.['bpf-lb-sock-hostns-only']),
      terminatePodConnections: cfg?.['bpf-lb-sock-terminate-pod-connections'] !== 'false',
    },
    bpfMasquerade: on(cfg?.['enable-bpf-masquerade']),
    ingressClasses,
  };
}
