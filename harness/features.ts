import type { Kube } from './kube.ts';
import { CILIUM_AGENT_CONTAINER, CILIUM_AGENT_PODS } from './labels.ts';
import { parseCiliumStatus, type CiliumStatus } from './parse/cilium-status.ts';
import { until } from './wait/until.ts';

const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane';
/** `cilium-dbg status` answers in well under a second on a healthy agent. */
const STATUS_EXEC_MS = 20_000;
/**
 * An agent that has just started answers `cilium-dbg status` with exit 1 until
 * its components are up (seen here: a minute after `helm install --wait`); the
 * config map is no substitute (the chart writes `bpf-lb-sock: "false"` while a
 * KPR agent runs socket LB), so the status is awaited this long first.
 */
const STATUS_READY_MS = 120_000;

/** What a cluster has, read from the cluster itself (used above all in existing-cluster mode). */
export interface ClusterFeatures {
  nodes: string[];
  /** Nodes without the control-plane role (every node on a single-node cluster). */
  workers: string[];
  cilium: boolean;
  ciliumVersion?: string;
  kubeProxy: boolean;
  kubeProxyReplacement: boolean;
  hubble: boolean;
  l7Proxy: boolean;
  socketLB: { enabled: boolean; hostNamespaceOnly: boolean; terminatePodConnections: boolean };
  masquerading: 'bpf' | 'iptables' | 'disabled' | 'unknown';
  hostRouting: 'bpf' | 'legacy' | 'unknown';
  /** Where the Cilium settings were read: the agent's own status, or its config map and why. */
  ciliumSettingsFrom: string;
  ingressClasses: string[];
}

const on = (v: string | undefined) => v === 'true' || v === 'strict';

export async function detectFeatures(kube: Kube): Promise<ClusterFeatures> {
  const nodeItems = (await kube.core.listNode()).items;
  const nodes = nodeItems.map((n) => n.metadata!.name!).sort();
  const workers = nodeItems.filter((n) => n.metadata?.labels?.[CONTROL_PLANE_LABEL] === undefined).map((n) => n.metadata!.name!).sort();
  const cfg = await kube.core.readNamespacedConfigMap({ namespace: 'kube-system', name: 'cilium-config' }).then((c) => c.data ?? {}, () => undefined);
  const kubeProxy = await kube.apps.readNamespacedDaemonSet({ namespace: 'kube-system', name: 'kube-proxy' }).then(() => true, () => false);
  const ciliumDs = await kube.apps.readNamespacedDaemonSet({ namespace: 'kube-system', name: 'cilium' }).catch(() => undefined);
  const image = ciliumDs?.spec?.template.spec?.containers[0]?.image ?? '';
  const ingressClasses = (await kube.networking.listIngressClass().catch(() => ({ items: [] }))).items.map((c) => c.metadata!.name!);
  const status = cfg === undefined ? { why: 'no cilium-config' } : await agentStatus(kube);
  const s: CiliumStatus = 'status' in status ? status.status : {};
  const kpr = s.kubeProxyReplacement ?? on(cfg?.['kube-proxy-replacement']);
  return {
    nodes,
    workers: workers.length > 0 ? workers : nodes,
    cilium: cfg !== undefined,
    ciliumVersion: s.version ?? image.match(/:v?(\d+\.\d+\.\d+[^@]*)/)?.[1],
    kubeProxy,
    kubeProxyReplacement: kpr,
    hubble: s.hubble ?? on(cfg?.['enable-hubble']),
    l7Proxy: on(cfg?.['enable-l7-proxy']),
    socketLB: {
      enabled: s.socketLB?.enabled ?? (kpr ? cfg?.['bpf-lb-sock'] !== 'false' : on(cfg?.['bpf-lb-sock'])),
      hostNamespaceOnly: s.socketLB?.hostNamespaceOnly ?? on(cfg?.['bpf-lb-sock-hostns-only']),
      terminatePodConnections: cfg?.['bpf-lb-sock-terminate-pod-connections'] !== 'false',
    },
    masquerading: s.masquerading ?? (cfg === undefined ? 'unknown' : on(cfg['enable-bpf-masquerade']) ? 'bpf' : 'unknown'),
    hostRouting: s.hostRouting ?? 'unknown',
    ciliumSettingsFrom: 'status' in status ? `cilium-dbg status of ${status.pod}` : `cilium-config (${status.why})`,
    ingressClasses,
  };
}

/** The running agent's own account of its datapath, from the first Running agent pod. */
async function agentStatus(kube: Kube): Promise<{ status: CiliumStatus; pod: string } | { why: string }> {
  const pods = await kube.core.listNamespacedPod({ namespace: 'kube-system', labelSelector: CILIUM_AGENT_PODS }).catch((e: Error) => e);
  if (pods instanceof Error) return { why: `could not list agent pods: ${pods.message}` };
  const pod = pods.items.find((p) => p.status?.phase === 'Running')?.metadata?.name;
  if (!pod) return { why: `no Running pod with label ${CILIUM_AGENT_PODS} in kube-system` };
  try {
    const text = await until(`cilium-dbg status --verbose to succeed in ${pod}`, () =>
      kube.exec('kube-system', pod, CILIUM_AGENT_CONTAINER, ['cilium-dbg', 'status', '--verbose'], STATUS_EXEC_MS), { timeoutMs: STATUS_READY_MS });
    return { status: parseCiliumStatus(text), pod };
  } catch (e) {
    return { why: `cilium-dbg status in ${pod} failed: ${(e as Error).message.split('\n')[0]}` };
  }
}

/** One line for the run's log: what the suite will base its skips and cases on. */
export function describeFeatures(f: ClusterFeatures): string {
  const nodes = `${f.nodes.length} nodes (${f.workers.length} worker${f.workers.length === 1 ? '' : 's'})`;
  if (!f.cilium) return `${nodes}, no Cilium, kube-proxy ${f.kubeProxy ? 'present' : 'absent'}`;
  const sock = f.socketLB.enabled ? (f.socketLB.hostNamespaceOnly ? 'host namespace only' : 'on') : 'off';
  return [
    nodes,
    `Cilium ${f.ciliumVersion ?? '(version unknown)'}`,
    `kube-proxy ${f.kubeProxy ? 'present' : 'absent'}`,
    `KPR ${f.kubeProxyReplacement}`,
    `socket LB ${sock}`,
    `masquerading ${f.masquerading}`,
    `host routing ${f.hostRouting}`,
    `Hubble ${f.hubble}`,
    `L7 proxy ${f.l7Proxy}`,
    `read from ${f.ciliumSettingsFrom}`,
  ].join(', ');
}
