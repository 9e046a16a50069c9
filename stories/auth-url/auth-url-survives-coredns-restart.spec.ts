// Story A: nginx's connected resolver socket and Cilium's socket-LB (README.md beside this file).
import { authUrl } from './story.ts';
import { inject } from 'vitest';
import { variantByName } from '../../clusters/index.ts';
import { installCilium } from '../../clusters/provision/addons/cilium.ts';
import { deployBackends, deployFrontDoor, type Flavour } from './flavours.ts';
import { SOCKET_LB_CASES, currentSocketLbCase, isSocketLbCase } from './cases.ts';
import { classifyAuthUrl, countResolverTimeouts, healedAfterReload, PROBE_TIMEOUT_MS } from './classify.ts';
import { describe, expect, test } from '../../harness/fixtures.ts';
import { probeSeries } from '../../harness/http.ts';
import { imageExists } from '../../harness/image-source.ts';
import { localTags } from '../../config/image-tags.ts';
import { dropsToAddresses, watchDrops } from '../../harness/cilium-drops.ts';
import { KUBE_DNS_PODS } from '../../harness/labels.ts';
import { PODS_READY_MS } from '../../harness/timeouts.ts';
import { parseProcNetUdp, staleDnsSockets } from '../../harness/parse/proc-net-udp.ts';
import { restartDeployment } from '../../harness/restart.ts';
import { podsGone, podsReady } from '../../harness/wait/index.ts';
import type { Kube } from '../../harness/kube.ts';

const cluster = inject('cluster');
const CASES = authUrl.casesOn(cluster.variant);
const FLAVOURS: Flavour[] = ['plain-nginx', 'ingress-nginx'];
/**
 * 2 requests/s for 90 s after the old CoreDNS pods are gone; each may take as
 * long as nginx's resolver timeout and then some, so a request that nginx
 * answers with 500 after its resolver gave up is recorded as that 500.
 */
const PROBE = { rate: 2, durationMs: 90_000, maxRequests: 200, timeoutMs: PROBE_TIMEOUT_MS } as const;
const BASELINE = { durationMs: 15_000, maxRequests: 10 } as const;
const AFTER_RELOAD = { durationMs: 20_000, maxRequests: 30 } as const;

async function dnsPods(kube: Kube) {
  const pods = await kube.core.listNamespacedPod({ namespace: 'kube-system', labelSelector: KUBE_DNS_PODS });
  return pods.items.filter((p) => !p.metadata?.deletionTimestamp).map((p) => ({ name: p.metadata!.name!, ip: p.status?.podIP ?? '' }));
}

describe.each(FLAVOURS)('%s', (flavour) => {
  test.for(CASES)(`auth-url keeps answering 200 after CoreDNS restarts [${flavour}, %s]`, async (caseId, { kube, namespace, images, evidence, conclude, requireDisruptive, skipWhen, annotate, defer }) => {
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
    defer(door.cleanup);
    const baseline = await probeSeries(door.url, { ...PROBE, ...BASELINE, host: door.host });
    evidence.add('baseline.json', baseline);
    expect(baseline.map((r) => r.status), `all ${BASELINE.maxRequests} requests answer 200 before CoreDNS restarts`).toEqual(Array(BASELINE.maxRequests).fill(200));

    const before = await dnsPods(kube);
    await restartDeployment(kube, 'kube-system', 'coredns', { timeoutMs: PODS_READY_MS });
    await podsGone(kube, 'kube-system', before.map((p) => p.name));
    const after = (await podsReady(kube, 'kube-system', KUBE_DNS_PODS, before.length)).map((p) => p.status!.podIP!);
    evidence.add('coredns.json', { before, after });

    const nginxNode = (await kube.core.readNamespacedPod({ namespace, name: door.nginxPod.name })).spec!.nodeName!;
    const { result: samples, drops } = await watchDrops(kube, nginxNode, PROBE.durationMs / 1000, () => probeSeries(door.url, { ...PROBE, host: door.host }));
    evidence.add('probes-after-restart.json', samples);

    const udp = await kube.exec(door.nginxPod.namespace, door.nginxPod.name, door.nginxPod.container, ['cat', '/proc/net/udp']);
    evidence.add('proc-net-udp.txt', udp);
    const udpSockets = parseProcNetUdp(udp);
    const stale = staleDnsSockets(udpSockets.records, after, { clusterIp: dnsIp });
    const oldIps = before.map((p) => p.ip);
    const monitorDrops = dropsToAddresses(drops, oldIps);
    evidence.add('cilium-monitor-drops.txt', drops.collected ? drops.output : `(${drops.reason})`);

    // nginx's error log says why each request failed: the resolver timed out on the stale socket.
    const nginxLog = await kube.core.readNamespacedPodLog({ namespace, name: door.nginxPod.name, container: door.nginxPod.container, sinceSeconds: Math.ceil((PROBE.durationMs + PROBE_TIMEOUT_MS) / 1000) });
    const resolverTimeouts = countResolverTimeouts(nginxLog);
    evidence.add('nginx-resolver-errors.txt', resolverTimeouts.lines.join('\n'));

    await kube.exec(door.nginxPod.namespace, door.nginxPod.name, door.nginxPod.container, door.reloadCommand);
    const afterReload = await probeSeries(door.url, { ...PROBE, ...AFTER_RELOAD, host: door.host });
    evidence.add('probes-after-reload.json', afterReload);
    const healed = healedAfterReload(afterReload.map((r) => (r.status === 'error' ? 0 : r.status)));

    const observed = classifyAuthUrl({ samples: samples.map((r) => ({ t: r.t, status: r.status === 'error' ? 0 : r.status })), staleSockets: stale.length });
    observed.figures.dropsToOldCoreDns = monitorDrops.figure;
    if (monitorDrops.skipped) observed.figures.monitorLinesSkipped = monitorDrops.skipped;
    if (udpSockets.skipped.count > 0) observed.figures.procNetUdpLinesSkipped = `${udpSockets.skipped.count} (first: ${udpSockets.skipped.first ?? ''})`;
    observed.figures.resolverTimeoutLines = resolverTimeouts.count;
    observed.figures.healedAfterReload = String(healed);
    observed.figures.staleRemotes = stale.map((s) => `${s.remoteIp}:${s.remotePort}`).join(' ') || 'none';
    await annotate(`${flavour}/${caseId}: ${observed.outcome} — ${observed.reason}`);

    await conclude({ story: authUrl, case: caseId, observed });
    if (observed.outcome === 'affected') expect(healed, 'nginx -s reload heals: the requests after the reload answer 200').toBe(true);
  });
});
