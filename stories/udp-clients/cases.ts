import type { HelmValues } from '../../clusters/types.ts';
import type { ClusterFeatures } from '../../harness/features.ts';
import type { TimerFloor } from '../../harness/story.ts';
import type { ClientKind } from './classify.ts';

/** How the backend is changed, and which Cilium values hold while it is. */
export interface Scenario {
  /** The old pod's grace period: how long it stays Terminating after its server stopped. */
  gracePeriodSeconds: number;
  /** Cilium values on the bpf variant; `undefined` where the scenario needs no Cilium change. */
  cilium?: HelmValues;
  /** Fill the socket reverse-NAT map before the change (cilium#42649). */
  fillReverseSkMap?: boolean;
  /** The old server stops on SIGTERM (terminating scenarios), or answers until its pod is killed. */
  serverStopsOnSigterm: boolean;
  /**
   * Clients in the node's network namespace. On the kube-proxy variant Cilium still
   * translates ClusterIPs of pod traffic per packet in its datapath; only host-network
   * traffic goes through kube-proxy's iptables rules and the kernel's conntrack.
   */
  clientsOnHostNetwork?: boolean;
}

/** The smallest `bpf-sock-rev-map-max` the agent accepts (LimitTableMin, 1Ki entries). */
export const REVERSE_SK_MAP_MIN_ENTRIES = 1024;

/** How long the clients are watched after the old pod is gone. */
export const AFTER_GONE_MS = 20_000;

const QUICK_GRACE_SECONDS = 1;
/** Long enough to see a client stuck on the terminating pod, short enough to see it let go. */
const TERMINATING_GRACE_SECONDS = 60;

/**
 * Scenarios on the bpf variant (Cilium replaces kube-proxy, socket LB on in pods),
 * in the order they run: the first shares story A's last values, and the two
 * with default values follow each other (clusters/provision/story-order.ts).
 */
export const SOCKET_LB_SCENARIOS = {
  /** Terminating again, with socket LB off in pods: per-packet translation and Cilium's conntrack decide (cilium#48714). */
  'terminating-per-packet': { gracePeriodSeconds: TERMINATING_GRACE_SECONDS, serverStopsOnSigterm: true, cilium: { socketLB: { hostNamespaceOnly: true } } },
  /** The only backend replaced by a rollout; the old pod is gone within a second or two. */
  replaced: { gracePeriodSeconds: QUICK_GRACE_SECONDS, serverStopsOnSigterm: false, cilium: {} },
  /** The same, but the old server stops and its pod stays Terminating (not serving) for a minute. */
  terminating: { gracePeriodSeconds: TERMINATING_GRACE_SECONDS, serverStopsOnSigterm: true, cilium: {} },
  /** Replaced after the reverse-NAT map was filled past its smallest size (cilium#42649). */
  'rev-map-evicted': {
    gracePeriodSeconds: QUICK_GRACE_SECONDS,
    serverStopsOnSigterm: false,
    cilium: { extraConfig: { 'bpf-sock-rev-map-max': String(REVERSE_SK_MAP_MIN_ENTRIES) } },
    fillReverseSkMap: true,
  },
} as const satisfies Record<string, Scenario>;

/** Scenarios under kube-proxy: host-network clients, iptables DNAT per packet, conntrack remembers the choice. */
export const KUBE_PROXY_SCENARIOS = {
  replaced: { gracePeriodSeconds: QUICK_GRACE_SECONDS, serverStopsOnSigterm: false, clientsOnHostNetwork: true },
  terminating: { gracePeriodSeconds: TERMINATING_GRACE_SECONDS, serverStopsOnSigterm: true, clientsOnHostNetwork: true },
} as const satisfies Record<string, Scenario>;

export type ScenarioId = keyof typeof SOCKET_LB_SCENARIOS;
export const CLIENTS = ['connected', 'unconnected'] as const satisfies readonly ClientKind[];

/** A case is a scenario seen by one client: `replaced-connected`, `rev-map-evicted-unconnected`, … */
export type UdpCase = `${ScenarioId}-${ClientKind}`;
export const caseOf = (scenario: ScenarioId, client: ClientKind): UdpCase => `${scenario}-${client}`;

export const scenariosOn = (variant: string): ScenarioId[] =>
  Object.keys(variant === 'bpf' ? SOCKET_LB_SCENARIOS : KUBE_PROXY_SCENARIOS) as ScenarioId[];

export function scenario(variant: string, id: ScenarioId): Scenario {
  const table: Record<string, Scenario> = variant === 'bpf' ? SOCKET_LB_SCENARIOS : KUBE_PROXY_SCENARIOS;
  const found = table[id];
  if (!found) throw new Error(`story udp-clients has no scenario "${id}" on variant ${variant}`);
  return found;
}

export const ALL_CASES: UdpCase[] = (Object.keys(SOCKET_LB_SCENARIOS) as ScenarioId[]).flatMap((s) => CLIENTS.map((c) => caseOf(s, c)));
export const casesOn = (variant: string): UdpCase[] => scenariosOn(variant).flatMap((s) => CLIENTS.map((c) => caseOf(s, c)));

/**
 * On a cluster netrepro did not make, a scenario runs only where its rows
 * apply: the bpf project's on a cluster that answers Services with Cilium's
 * socket LB (and only the one whose values the cluster already has), the
 * kube-proxy project's on a cluster where kube-proxy does. Run elsewhere, the
 * other datapath would be judged by these rows.
 */
export function runnableOnExisting(f: ClusterFeatures, id: ScenarioId, variant: string): { ok: true } | { ok: false; why: string } {
  if (id === 'rev-map-evicted') return { ok: false, why: 'it sets bpf-sock-rev-map-max, which netrepro changes only on clusters it made' };
  const socketLb = f.cilium && f.kubeProxyReplacement && f.socketLB.enabled;
  if (variant !== 'bpf') {
    if (!f.kubeProxy) return { ok: false, why: `the ${variant} project's rows are for kube-proxy's Service datapath and this cluster has no kube-proxy (--project bpf measures socket LB)` };
    if (socketLb) return { ok: false, why: `the ${variant} project's rows are for kube-proxy's Service datapath and this cluster answers Services with Cilium socket LB (--project bpf)` };
    return { ok: true };
  }
  if (!socketLb) return { ok: false, why: 'the bpf project\'s rows are for Cilium socket LB and this cluster does not run it (KPR or socket LB off; --project kube-proxy measures kube-proxy)' };
  const perPacket = f.socketLB.hostNamespaceOnly;
  if (id === 'terminating-per-packet' && !perPacket) return { ok: false, why: 'it needs socketLB.hostNamespaceOnly=true and this cluster has socket LB in pods' };
  if (id !== 'terminating-per-packet' && perPacket) return { ok: false, why: 'it needs socket LB in pods and this cluster has socketLB.hostNamespaceOnly=true' };
  return { ok: true };
}

/** A scenario's test waits out the old pod's grace and then watches the clients a while: "… [terminating]" → 80 s. */
export function scenarioFloor(test: string): TimerFloor | undefined {
  const id = /\[([\w-]+)\]$/.exec(test)?.[1];
  const scen = id === undefined ? undefined : (SOCKET_LB_SCENARIOS as Record<string, Scenario>)[id];
  if (!scen) return undefined;
  return { ms: scen.gracePeriodSeconds * 1000 + AFTER_GONE_MS, basis: `old pod's grace ${scen.gracePeriodSeconds} s + ${AFTER_GONE_MS / 1000} s watched after it is gone` };
}
