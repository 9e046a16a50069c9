// Story C (README.md beside this file): kube-proxy's FORWARD jump ahead of Cilium's.
import { forwardOrder } from './story.ts';
import { inject } from 'vitest';
import { newAgentJumpInstalled, standInReplacement } from './agent-jump.ts';
import { classifyForwardDataPlane, classifyForwardOrder } from './classify.ts';
import { forwardOrderChart, type ForwardStage } from './plot.ts';
import { variantByName } from '../../clusters/index.ts';
import { installCilium } from '../../clusters/provision/addons/cilium.ts';
import type { HelmValues } from '../../clusters/types.ts';
import { startExternalTarget, type ExternalTarget } from '../../harness/external-target.ts';
import { detectFeatures } from '../../harness/features.ts';
import { describe, expect, test } from '../../harness/fixtures.ts';
import type { ClusterFixtures } from '../../harness/fixtures/cluster.ts';
import type { EvidenceFixtures } from '../../harness/fixtures/evidence.ts';
import type { IsolationFixtures } from '../../harness/fixtures/isolation.ts';
import type { Kube } from '../../harness/kube.ts';
import { nodeExec } from '../../harness/node-exec.ts';
import { conntrackDelta, parseConntrackStats } from '../../harness/parse/conntrack.ts';
import { dropPacketsIn, forwardJumpOrder, hasInvalidDrop, jumpPackets, parseIptablesList, parseIptablesS } from '../../harness/parse/iptables.ts';
import { restartDaemonSetPodOnNode } from '../../harness/restart.ts';
import { startToolbox } from '../../harness/toolbox.ts';
import { round } from '../../harness/stats.ts';
import { until } from '../../harness/wait/index.ts';
import { EXEC_POLL_INTERVAL_MS, ROLLOUT_MS, ROUTE_READY_MS } from '../../harness/timeouts.ts';
import { CILIUM_AGENT_PODS, KUBE_PROXY_PODS } from '../../harness/labels.ts';

const cluster = inject('cluster');
const ATTEMPTS = 20;
const BE_LIBERAL_SYSCTL = '/proc/sys/net/netfilter/nf_conntrack_tcp_be_liberal';
/** The control case: pod traffic through the kernel stack in both directions. */
const LEGACY_ROUTING_VALUES = { bpf: { hostLegacyRouting: true } } as const;

interface Counters {
  invalidDrops: number;
  invalidDropRule: boolean;
  /** Packets FORWARD sent into KUBE-FORWARD / CILIUM_FORWARD: pod egress that met netfilter FORWARD at all. */
  kubeForwardPackets: number | undefined;
  ciliumForwardPackets: number | undefined;
  conntrack: Record<string, number> | undefined;
}

async function counters(node: string): Promise<Counters> {
  const listing = parseIptablesList(await nodeExec(node, ['iptables', '-t', 'filter', '-nvxL']));
  const ct = await nodeExec(node, ['conntrack', '-S']).then((t) => parseConntrackStats(t).totals, () => undefined);
  return {
    invalidDrops: dropPacketsIn(listing, 'KUBE-FORWARD', { ctstateInvalidOnly: true }),
    invalidDropRule: hasInvalidDrop(listing, 'KUBE-FORWARD'),
    kubeForwardPackets: jumpPackets(listing, 'FORWARD', 'KUBE-FORWARD'),
    ciliumForwardPackets: jumpPackets(listing, 'FORWARD', 'CILIUM_FORWARD'),
    conntrack: ct,
  };
}

const delta = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? 'no jump' : b - a);

/** 20 fresh TCP connections from the pod, each carrying one request; one line per attempt. */
async function connectionAttempts(kube: Kube, namespace: string, pod: string, target: ExternalTarget): Promise<string[]> {
  const url = `http://${target.ip}:${target.port}/hostname`;
  const script = `for i in $(seq ${ATTEMPTS}); do curl -s -o /dev/null -H 'Connection: close' --max-time 3 -w '%{http_code}\\n' ${url} || true; done`;
  const out = await kube.exec(namespace, pod, 'toolbox', ['sh', '-c', script], (ATTEMPTS * 4 + 30) * 1000);
  return out.trim().split('\n');
}

/** What explains a data-plane outcome besides the connections: routing mode and the kernel's conntrack leniency. */
interface Setting { hostRouting: string; beLiberal: string }

async function setting(kube: Kube, node: string): Promise<Setting> {
  const hostRouting = (await detectFeatures(kube)).hostRouting;
  const beLiberal = (await nodeExec(node, ['cat', BE_LIBERAL_SYSCTL]).catch((e: Error) => `unreadable: ${e.message.split('\n')[0]}`)).trim();
  return { hostRouting, beLiberal };
}

async function dataPlane(node: string, where: Setting, attempt: () => Promise<string[]>) {
  const before = await counters(node);
  const codes = await attempt();
  const after = await counters(node);
  const succeeded = codes.filter((c) => c === '200').length;
  const invalidDropDelta = after.invalidDrops - before.invalidDrops;
  const observed = classifyForwardDataPlane({ succeeded, failed: ATTEMPTS - succeeded, invalidDropDelta, invalidDropRule: after.invalidDropRule });
  Object.assign(observed.figures, {
    hostRouting: where.hostRouting,
    nfConntrackTcpBeLiberal: where.beLiberal,
    forwardToKubeForwardPackets: delta(before.kubeForwardPackets, after.kubeForwardPackets),
    forwardToCiliumForwardPackets: delta(before.ciliumForwardPackets, after.ciliumForwardPackets),
  });
  if (before.conntrack && after.conntrack) observed.figures.conntrackInvalidDelta = conntrackDelta(before.conntrack, after.conntrack).invalid ?? 0;
  const connections = Array.from({ length: ATTEMPTS }, (_, i) => codes[i] === '200');
  return { observed, connections, invalidDropDelta };
}

const jumpsOf = (rulesText: string) => forwardJumpOrder(parseIptablesS(rulesText).rules);

const readForwardOrder = async (node: string) => {
  const rules = await nodeExec(node, ['iptables', '-S', 'FORWARD']);
  const parsed = parseIptablesS(rules);
  const observed = classifyForwardOrder(parsed.rules);
  if (parsed.skipped.count > 0) observed.figures.unrecognisedLines = `${parsed.skipped.count} (first: ${parsed.skipped.first})`;
  return { text: rules, observed };
};

/** Takes kube-proxy's jump out (if it is there), then lets a restarted kube-proxy put it back on top. */
async function invertForward(kube: Kube, node: string, before: string) {
  if (before.includes('-j KUBE-FORWARD')) {
    await nodeExec(node, ['iptables', '-D', 'FORWARD', '-m', 'comment', '--comment', 'kubernetes forwarding rules', '-j', 'KUBE-FORWARD']);
  }
  await restartDaemonSetPodOnNode(kube, 'kube-system', KUBE_PROXY_PODS, node);
  // A started kube-proxy writes its rules on its first sync, a few seconds after the pod is up.
  return until(`kube-proxy on ${node} to put its KUBE-FORWARD jump back into FORWARD`, async () => {
    const order = await readForwardOrder(node);
    return order.text.includes('-j KUBE-FORWARD') ? order : undefined;
  }, { timeoutMs: ROUTE_READY_MS, intervalMs: EXEC_POLL_INTERVAL_MS });
}

const storyNode = () => cluster.features.workers.find((n) => cluster.nodeContainers.includes(n)) ?? '';

const installCase = (kube: Kube, extra?: HelmValues) =>
  installCilium(kube, { variant: variantByName(cluster.variant), clusterName: cluster.name, version: cluster.versions.cilium!, imageSource: cluster.imageSource, extra });

/** What both tests share: the target, a toolbox pod, the inversion, and 20 connections while it holds. */
async function invertAndConnect(
  { kube, namespace, images, evidence, defer }: Pick<ClusterFixtures, 'kube' | 'images'> & Pick<EvidenceFixtures, 'evidence'> & Pick<IsolationFixtures, 'namespace' | 'defer'>,
  node: string,
  where: Setting,
) {
  const target = await startExternalTarget(images.agnhost);
  defer(target.stop);
  const pod = await startToolbox(kube, { namespace, image: images.agnhost, node });
  const before = await readForwardOrder(node);
  evidence.add('forward-before.txt', before.text);
  const inverted = await invertForward(kube, node, before.text);
  evidence.add('forward-after-kube-proxy-restart.txt', inverted.text);
  const broken = await dataPlane(node, where, () => connectionAttempts(kube, namespace, pod, target));
  evidence.add('data-plane-inverted.json', broken.observed);
  return { target, pod, before, inverted, broken };
}

describe('FORWARD chain order', () => {
  test('pod egress survives kube-proxy starting after Cilium', async ({ kube, namespace, images, evidence, conclude, requireDisruptive, skipWhen, defer, plot }) => {
    requireDisruptive('restarting kube-proxy and the Cilium agent on one node');
    const node = storyNode();
    skipWhen(node === '', 'the FORWARD chain is read inside a kind node container; no worker of this cluster is one');
    skipWhen(!cluster.features.kubeProxy || !cluster.features.cilium, 'story C needs both kube-proxy and Cilium on the cluster');
    let where = await setting(kube, node);
    if (cluster.mode !== 'existing' && where.hostRouting === 'legacy') {
      // Left by an interrupted legacy-routing test: this case is about BPF host routing, the variant's own setting.
      await installCase(kube);
      where = await setting(kube, node);
    }
    // On an existing cluster the data plane is judged for whichever host routing it runs.
    const dataPlaneCase = where.hostRouting === 'legacy' ? 'data-plane-legacy-routing' : 'data-plane';
    evidence.add('setting.json', where);
    const { target, pod, before, inverted, broken } = await invertAndConnect({ kube, namespace, images, evidence, defer }, node, where);
    await conclude({ story: forwardOrder, case: 'structural', observed: inverted.observed });
    await conclude({ story: forwardOrder, case: dataPlaneCase, observed: broken.observed });

    // A restarted agent can be Ready before it has replaced its predecessor's jump (agent-jump.ts).
    await nodeExec(node, ['iptables', ...standInReplacement((await readForwardOrder(node)).text)]);
    await restartDaemonSetPodOnNode(kube, 'kube-system', CILIUM_AGENT_PODS, node, ROLLOUT_MS);
    const agentReadyAt = performance.now();
    const healed = await until(`the restarted Cilium agent on ${node} to replace the old agent's CILIUM_FORWARD jump with its own`, async () => {
      const order = await readForwardOrder(node);
      return newAgentJumpInstalled(order.text) ? order : undefined;
    }, { timeoutMs: ROUTE_READY_MS, intervalMs: EXEC_POLL_INTERVAL_MS });
    healed.observed.figures.newJumpAfterAgentReadyS = round((performance.now() - agentReadyAt) / 1000, 1);
    evidence.add('forward-after-cilium-restart.txt', healed.text);
    const after = await dataPlane(node, where, () => connectionAttempts(kube, namespace, pod, target));
    healed.observed.figures.connectionsAfterHeal = `${after.observed.figures.succeeded}/${ATTEMPTS}`;
    const stages: ForwardStage[] = [
      { label: 'before', order: jumpsOf(before.text) },
      { label: 'kube-proxy restarted', order: jumpsOf(inverted.text), connections: broken.connections, invalidDropDelta: broken.invalidDropDelta },
      { label: 'Cilium agent restarted', order: jumpsOf(healed.text), connections: after.connections, invalidDropDelta: after.invalidDropDelta },
    ];
    await plot('forward-order.svg', forwardOrderChart(`FORWARD order and pod egress on ${node}`, stages), 'FORWARD jump order per stage, with the connections tried and the INVALID drops counted');
    await conclude({ story: forwardOrder, case: 'healed', observed: healed.observed });
    expect(after.observed.figures.succeeded, 'every connection succeeds once Cilium is first again').toBe(ATTEMPTS);
  });

  test('with legacy host routing, pod egress survives the same inversion (control)', async ({ kube, namespace, images, evidence, conclude, requireDisruptive, skipWhen, defer }) => {
    requireDisruptive('reinstalling Cilium with bpf.hostLegacyRouting=true and restarting kube-proxy on one node');
    const node = storyNode();
    skipWhen(node === '', 'the FORWARD chain is read inside a kind node container; no worker of this cluster is one');
    skipWhen(!cluster.features.kubeProxy || !cluster.features.cilium, 'story C needs both kube-proxy and Cilium on the cluster');
    skipWhen(cluster.mode === 'existing', 'this case changes Cilium\'s host routing, which netrepro does only on clusters it made; on an existing cluster the first test judges the host routing it runs');
    await installCase(kube, LEGACY_ROUTING_VALUES);
    defer(() => installCase(kube));
    const where = await setting(kube, node);
    evidence.add('setting.json', where);
    expect(where.hostRouting, 'Cilium reports legacy host routing after bpf.hostLegacyRouting=true').toBe('legacy');
    const { inverted, broken } = await invertAndConnect({ kube, namespace, images, evidence, defer }, node, where);
    expect(inverted.observed.outcome, 'kube-proxy\'s jump is first again, as in the main case').toBe('affected');
    await conclude({ story: forwardOrder, case: 'data-plane-legacy-routing', observed: broken.observed });
  });
});
