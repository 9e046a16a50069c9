// Story C (README.md beside this file): kube-proxy's FORWARD jump ahead of Cilium's.
import { forwardOrder } from './story.ts';
import { inject } from 'vitest';
import { classifyForwardDataPlane, classifyForwardOrder } from './classify.ts';
import { forwardOrderChart, type ForwardStage } from './plot.ts';
import { startExternalTarget, type ExternalTarget } from '../../harness/external-target.ts';
import { describe, expect, test } from '../../harness/fixtures.ts';
import type { Kube } from '../../harness/kube.ts';
import { nodeExec } from '../../harness/node-exec.ts';
import { conntrackDelta, parseConntrackStats } from '../../harness/parse/conntrack.ts';
import { dropPacketsIn, forwardJumpOrder, parseIptablesList, parseIptablesS } from '../../harness/parse/iptables.ts';
import { restartDaemonSetPodOnNode } from '../../harness/restart.ts';
import { startToolbox } from '../../harness/toolbox.ts';
import { until } from '../../harness/wait/index.ts';
import { EXEC_POLL_INTERVAL_MS, ROLLOUT_MS, ROUTE_READY_MS } from '../../harness/timeouts.ts';
import { CILIUM_AGENT_PODS, KUBE_PROXY_PODS } from '../../harness/labels.ts';

const cluster = inject('cluster');
const ATTEMPTS = 20;

interface Counters { invalidDrops: number; conntrack: Record<string, number> | undefined }

async function counters(node: string): Promise<Counters> {
  const listing = parseIptablesList(await nodeExec(node, ['iptables', '-t', 'filter', '-nvxL', 'KUBE-FORWARD']));
  const ct = await nodeExec(node, ['conntrack', '-S']).then((t) => parseConntrackStats(t).totals, () => undefined);
  return { invalidDrops: dropPacketsIn(listing, 'KUBE-FORWARD', { ctstateInvalidOnly: true }), conntrack: ct };
}

/** 20 fresh TCP connections from the pod, each carrying one request; one line per attempt. */
async function connectionAttempts(kube: Kube, namespace: string, pod: string, target: ExternalTarget): Promise<string[]> {
  const url = `http://${target.ip}:${target.port}/hostname`;
  const script = `for i in $(seq ${ATTEMPTS}); do curl -s -o /dev/null -H 'Connection: close' --max-time 3 -w '%{http_code}\\n' ${url} || true; done`;
  const out = await kube.exec(namespace, pod, 'toolbox', ['sh', '-c', script], (ATTEMPTS * 4 + 30) * 1000);
  return out.trim().split('\n');
}

async function dataPlane(node: string, attempt: () => Promise<string[]>) {
  const before = await counters(node);
  const codes = await attempt();
  const after = await counters(node);
  const succeeded = codes.filter((c) => c === '200').length;
  const invalidDropDelta = after.invalidDrops - before.invalidDrops;
  const observed = classifyForwardDataPlane({ succeeded, failed: ATTEMPTS - succeeded, invalidDropDelta });
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

describe('FORWARD chain order', () => {
  test('pod egress survives kube-proxy starting after Cilium', async ({ kube, namespace, images, evidence, conclude, requireDisruptive, skipWhen, defer, plot }) => {
    requireDisruptive('restarting kube-proxy and the Cilium agent on one node');
    const node = cluster.features.workers.find((n) => cluster.nodeContainers.includes(n)) ?? '';
    skipWhen(node === '', 'the FORWARD chain is read inside a kind node container; no worker of this cluster is one');
    skipWhen(!cluster.features.kubeProxy || !cluster.features.cilium, 'story C needs both kube-proxy and Cilium on the cluster');
    const target = await startExternalTarget(images.agnhost);
    defer(target.stop);
    const pod = await startToolbox(kube, { namespace, image: images.agnhost, node });
    const before = await readForwardOrder(node);
    evidence.add('forward-before.txt', before.text);

    // Provoke: take kube-proxy's jump out (if it is there), then let a restarted kube-proxy put it back on top.
    if (before.text.includes('-j KUBE-FORWARD')) {
      await nodeExec(node, ['iptables', '-D', 'FORWARD', '-m', 'comment', '--comment', 'kubernetes forwarding rules', '-j', 'KUBE-FORWARD']);
    }
    await restartDaemonSetPodOnNode(kube, 'kube-system', KUBE_PROXY_PODS, node);
    // A started kube-proxy writes its rules on its first sync, a few seconds after the pod is up.
    const inverted = await until(`kube-proxy on ${node} to put its KUBE-FORWARD jump back into FORWARD`, async () => {
      const order = await readForwardOrder(node);
      return order.text.includes('-j KUBE-FORWARD') ? order : undefined;
    }, { timeoutMs: ROUTE_READY_MS, intervalMs: EXEC_POLL_INTERVAL_MS });
    evidence.add('forward-after-kube-proxy-restart.txt', inverted.text);
    await conclude({ story: forwardOrder, case: 'structural', observed: inverted.observed });

    const broken = await dataPlane(node, () => connectionAttempts(kube, namespace, pod, target));
    evidence.add('data-plane-inverted.json', broken.observed);
    await conclude({ story: forwardOrder, case: 'data-plane', observed: broken.observed });

    await restartDaemonSetPodOnNode(kube, 'kube-system', CILIUM_AGENT_PODS, node, ROLLOUT_MS);
    const healed = await until(`the restarted Cilium agent on ${node} to install its CILIUM_FORWARD jump`, async () => {
      const order = await readForwardOrder(node);
      return order.text.includes('-j CILIUM_FORWARD') ? order : undefined;
    }, { timeoutMs: ROUTE_READY_MS, intervalMs: EXEC_POLL_INTERVAL_MS });
    evidence.add('forward-after-cilium-restart.txt', healed.text);
    const after = await dataPlane(node, () => connectionAttempts(kube, namespace, pod, target));
    healed.observed.figures.connectionsAfterHeal = `${after.observed.figures.succeeded}/${ATTEMPTS}`;
    const stages: ForwardStage[] = [
      { label: 'before', order: jumpsOf(before.text) },
      { label: 'kube-proxy restarted', order: jumpsOf(inverted.text), connections: broken.connections, invalidDropDelta: broken.invalidDropDelta },
      { label: 'Cilium agent restarted', order: jumpsOf(healed.text), connections: after.connections, invalidDropDelta: after.invalidDropDelta },
    ];
    await plot('forward-order.svg', forwardOrderChart(`FORWARD order and pod egress on ${node}`, stages), 'FORWARD jump order per stage, with the connections tried and the INVALID drops counted');
    await conclude({ story: forwardOrder, case: 'healed', observed: healed.observed });
    expect(after.observed.outcome, 'every connection succeeds once Cilium is first again').toBe('healthy');
  });
});
