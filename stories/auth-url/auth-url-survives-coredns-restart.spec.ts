// Story A (DESIGN.md §3 A, seed 000): nginx's resolver socket and socket-LB.
import { authUrl } from './story.ts';
import { inject } from 'vitest';
import { variantByName } from '../../clusters/index.ts';
import { installCilium } from '../../clusters/provision/addons/cilium.ts';
import { deployBackends, deployFrontDoor, type Flavour } from './flavours.ts';
import { SOCKET_LB_CASES, currentSocketLbCase, isSocketLbCase } from './cases.ts';
import { classifyAuthUrl, healedAfterReload } from './classify.ts';
import { describe, expect, test } from '../../harness/fixtures.ts';
import { probeSeries } from '../../harness/http.ts';
import { imageExists } from '../../harness/image-source.ts';
import { localTags } from '../../config/image-tags.ts';
import { parseMonitorDrops, dropsTo, monitorListened } from '../../harness/parse/cilium-monitor.ts';
import { parseProcNetUdp, staleDnsSockets } from '../../harness/parse/proc-net-udp.ts';
import { restartDeployment } from '../../harness/restart.ts';
import { podsGone, podsReady } from '../../harness/wait/index.ts';
import type { Kube } from '../../harness/kube.ts';

const cluster = inject('cluster');
const CASES = authUrl.casesOn(cluster.variant);
const FLAVOURS: Flavour[] = ['plain-nginx', 'ingress-nginx'];
const PROBE = { rate: 2, durationMs: 90_000, maxRequests: 200, timeoutMs: 10_000 } as const;

async function dnsPods(kube: Kube) {
  const pods = await kube.core.listNamespacedPod({ namespace: 'kube-system', labelSelector: 'k8s-app=kube-dns' });
  return pods.items.filter((p) => !p.metadata?.deletionTimestamp).map((p) => ({ name: p.metadata!.name!, ip: p.status?.podIP ?? '' }));
}

/** The output of `cilium-dbg monitor --type drop`, or why there is none. */
type MonitorCapture = { collected: true; output: string } | { collected: false; reason: string };

/** Drops seen by the Cilium agent on a node while `during` runs (best effort: evidence, not a verdict). */
async function watchDrops<T>(kube: Kube, node: string, seconds: number, during: () => Promise<T>): Promise<{ result: T; drops: MonitorCapture }> {
  const agents = await kube.core.listNamespacedPod({ namespace: 'kube-system', labelSelector: 'k8s-app=cilium', fieldSelector: `spec.nodeName=${node}` });
  const agent = agents.items[0]?.metadata?.name;
  const monitor: Promise<MonitorCapture> = agent
    ? kube.exec('kube-system', agent, 'cilium-agent', ['sh', '-c', `timeout ${seconds} cilium-dbg monitor --type drop; true`], (seconds + 30) * 1000)
      .then((output) => ({ collected: true as const, output }), (e: Error) => ({ collected: false as const, reason: `monitor failed: ${e.message}` }))
    : Promise.resolve({ collected: false, reason: 'no Cilium agent on the node' });
  const result = await during();
  return { result, drops: await monitor };
}

/**
 * Drops to the old CoreDNS pods, or `not collected: <reason>` when the monitor failed, never
 * listened (`; true` hides its exit status, so no banner means it did not run) or printed
 * output the parser could not read: no evidence is not zero drops.
 */
function dropsToOldCoreDns(capture: MonitorCapture, oldIps: readonly string[]): { figure: number | string; skipped?: string } {
  if (!capture.collected) return { figure: `not collected: ${capture.reason}` };
  if (!monitorListened(capture.output)) return { figure: 'not collected: the monitor printed nothing, not even its banner' };
  try {
    const { records, skipped } = parseMonitorDrops(capture.output);
    const figure = oldIps.reduce((n, ip) => n + dropsTo(records, ip).length, 0);
    return skipped.count > 0 ? { figure, skipped: `${skipped.count} (first: ${skipped.first ?? ''})` } : { figure };
  } catch (e) {
    return { figure: `not collected: ${e instanceof Error ? e.message : String(e)}` };
  }
}

describe.each(FLAVOURS)('%s', (flavour) => {
  test.for(CASES)(`auth-url keeps answering 200 after CoreDNS restarts [${flavour}, %s]`, async (caseId, { kube, namespace, images, evidence, conclude, requireDisruptive, skipWhen, annotate }) => {
    requireDisruptive('a rollout restart of CoreDNS');
    if (cluster.mode === 'existing') {
      const current = currentSocketLbCase(cluster.features);
      const where = current === 'kube-proxy' ? 'this cluster has no Cilium socket-LB (its case, kube-proxy, runs under --project kube-proxy)' : `this cluster is in case "${current}"`;
      skipWhen(caseId !== current, `${where}; case "${caseId}" needs its Cilium values, which netrepro changes only on clusters it made`);
    } else if (isSocketLbCase(caseId)) {
      await installCilium(kube, { variant: variantByName(cluster.variant), clusterName: cluster.name, version: cluster.versions.cilium!, imageSource: cluster.imageSource, extra: SOCKET_LB_CASES[caseId] });
    }
    if (flavour === 'ingress-nginx' && cluster.imageSource === 'local') {
      skipWhen(!(await imageExists(localTags().ingressNginx)), `local image ${localTags().ingressNginx} is not built (npm run images -- ingress-nginx)`);
    }

    await deployBackends(kube, namespace, images);
    const dnsIp = (await kube.core.readNamespacedService({ namespace: 'kube-system', name: 'kube-dns' })).spec!.clusterIP!;
    const door = await deployFrontDoor(flavour, { kube, namespace, images, cluster, dnsIp });
    try {
      const baseline = await probeSeries(door.url, { ...PROBE, host: door.host, durationMs: 15_000, maxRequests: 10 });
      evidence.add('baseline.json', baseline);
      expect(baseline.map((r) => r.status), 'all 10 requests answer 200 before CoreDNS restarts').toEqual(Array(10).fill(200));

      const before = await dnsPods(kube);
      await restartDeployment(kube, 'kube-system', 'coredns', { timeoutMs: 180_000 });
      await podsGone(kube, 'kube-system', before.map((p) => p.name));
      const after = (await podsReady(kube, 'kube-system', 'k8s-app=kube-dns', before.length)).map((p) => p.status!.podIP!);
      evidence.add('coredns.json', { before, after });

      const nginxNode = (await kube.core.readNamespacedPod({ namespace, name: door.nginxPod.name })).spec!.nodeName!;
      const { result: samples, drops } = await watchDrops(kube, nginxNode, PROBE.durationMs / 1000, () => probeSeries(door.url, { ...PROBE, host: door.host }));
      evidence.add('probes-after-restart.json', samples);

      const udp = await kube.exec(door.nginxPod.namespace, door.nginxPod.name, door.nginxPod.container, ['cat', '/proc/net/udp']);
      evidence.add('proc-net-udp.txt', udp);
      const udpSockets = parseProcNetUdp(udp);
      const stale = staleDnsSockets(udpSockets.records, after, { clusterIp: dnsIp });
      const oldIps = before.map((p) => p.ip);
      const monitorDrops = dropsToOldCoreDns(drops, oldIps);
      evidence.add('cilium-monitor-drops.txt', drops.collected ? drops.output : `(${drops.reason})`);

      await kube.exec(door.nginxPod.namespace, door.nginxPod.name, door.nginxPod.container, door.reloadCommand);
      const afterReload = await probeSeries(door.url, { ...PROBE, host: door.host, durationMs: 20_000, maxRequests: 30 });
      evidence.add('probes-after-reload.json', afterReload);
      const healed = healedAfterReload(afterReload.map((r) => (r.status === 'error' ? 0 : r.status)));

      const observed = classifyAuthUrl({ samples: samples.map((r) => ({ t: r.t, status: r.status === 'error' ? 0 : r.status })), staleSockets: stale.length });
      observed.figures.dropsToOldCoreDns = monitorDrops.figure;
      if (monitorDrops.skipped) observed.figures.monitorLinesSkipped = monitorDrops.skipped;
      if (udpSockets.skipped.count > 0) observed.figures.procNetUdpLinesSkipped = `${udpSockets.skipped.count} (first: ${udpSockets.skipped.first ?? ''})`;
      observed.figures.healedAfterReload = String(healed);
      observed.figures.staleRemotes = stale.map((s) => `${s.remoteIp}:${s.remotePort}`).join(' ') || 'none';
      await annotate(`${flavour}/${caseId}: ${observed.outcome} — ${observed.reason}`);

      await conclude({ story: authUrl, case: caseId, observed });
      if (observed.outcome === 'affected') expect(healed, 'nginx -s reload heals: the requests after the reload answer 200').toBe(true);
    } finally {
      await evidence.collectNamespace(kube, namespace);
      await door.cleanup();
    }
  });
});
