// Story A: nginx's connected resolver socket and Cilium's socket-LB (README.md beside this file).
// One pass per case: both flavours share the case's Cilium values, one CoreDNS
// restart and one probe window, and each is judged on its own.
import { inject } from 'vitest';
import { authUrl } from './story.ts';
import { variantByName } from '../../clusters/index.ts';
import { installCilium } from '../../clusters/provision/addons/cilium.ts';
import { localTags } from '../../config/image-tags.ts';
import { dropsToAddresses, watchDrops, type MonitorCapture } from '../../harness/cilium-drops.ts';
import { describe, expect, test } from '../../harness/fixtures.ts';
import { probeSeries, startProbeSeries, type ProbeResult } from '../../harness/http.ts';
import { step } from '../../harness/progress.ts';
import { imageExists } from '../../harness/image-source.ts';
import type { Kube } from '../../harness/kube.ts';
import { KUBE_DNS_PODS } from '../../harness/labels.ts';
import { parseProcNetUdp, staleDnsSockets } from '../../harness/parse/proc-net-udp.ts';
import { restartDeployment } from '../../harness/restart.ts';
import { PODS_READY_MS } from '../../harness/timeouts.ts';
import { podsGone, podsReady } from '../../harness/wait/index.ts';
import { SOCKET_LB_CASES, currentSocketLbCase, isSocketLbCase } from './cases.ts';
import { classifyAuthUrl, countResolverTimeouts, healedAfterReload, PROBE_TIMEOUT_MS } from './classify.ts';
import { AFTER_RELOAD, BASELINE, PROBE } from './probe-windows.ts';
import { deployFrontDoors } from './flavours.ts';
import { reloadNginx } from './nginx-reload.ts';
import { statusTimeline } from './plot.ts';

const cluster = inject('cluster');
const CASES = authUrl.casesOn(cluster.variant);

async function dnsPods(kube: Kube) {
  const pods = await kube.core.listNamespacedPod({ namespace: 'kube-system', labelSelector: KUBE_DNS_PODS });
  return pods.items.filter((p) => !p.metadata?.deletionTimestamp).map((p) => ({ name: p.metadata!.name!, ip: p.status?.podIP ?? '' }));
}

const statusOf = (r: ProbeResult) => (r.status === 'error' ? 0 : r.status);
const toSample = (r: ProbeResult) => ({ t: r.t, status: statusOf(r) });

describe('auth-url', () => {
  test.for(CASES)('auth-url keeps answering 200 after CoreDNS restarts [%s]', async (caseId, { kube, namespace, images, evidence, conclude, requireDisruptive, skipWhen, defer, plot }) => {
    requireDisruptive('a rollout restart of CoreDNS');
    const phase = <T>(what: string, fn: () => Promise<T>) => step(`auth-url [${caseId}]: ${what}`, fn);
    if (cluster.imageSource === 'local' && !(await imageExists(localTags().ingressNginx))) {
      expect.fail(`local image ${localTags().ingressNginx} is not built, so the ingress-nginx flavour cannot run: npm run images -- ingress-nginx`);
    }
    const dnsIp = (await kube.core.readNamespacedService({ namespace: 'kube-system', name: 'kube-dns' })).spec!.clusterIP!;
    // Started here and awaited in deployFrontDoors, which takes it at once: nothing awaits in between.
    let caseReady = Promise.resolve();
    if (cluster.mode === 'existing') {
      const current = currentSocketLbCase(cluster.features);
      const where = current === 'kube-proxy' ? 'this cluster has no Cilium socket-LB (its case, kube-proxy, runs under --project kube-proxy)' : `this cluster is in case "${current}"`;
      skipWhen(caseId !== current, `${where}; case "${caseId}" needs its Cilium values, which netrepro changes only on clusters it made`);
    } else if (isSocketLbCase(caseId)) {
      caseReady = installCilium(kube, { variant: variantByName(cluster.variant), clusterName: cluster.name, version: cluster.versions.cilium!, imageSource: cluster.imageSource, extra: SOCKET_LB_CASES[caseId] });
    }

    const doors = await phase('case values, backends and both front doors', () => deployFrontDoors({ kube, namespace, images, cluster, dnsIp }, caseReady, defer));
    const baselines = await phase('baseline', () => Promise.all(doors.map((door) => probeSeries(door.url, { ...PROBE, ...BASELINE, host: door.host }))));
    doors.forEach((door, i) => {
      evidence.add(`${door.flavour}/baseline.json`, baselines[i]);
      expect(baselines[i]!.map(statusOf), `${door.flavour}: all ${BASELINE.maxRequests} requests answer 200 before CoreDNS restarts`).toEqual(Array(BASELINE.maxRequests).fill(200));
    });

    const before = await dnsPods(kube);
    const after = await phase('restart CoreDNS', async () => {
      await restartDeployment(kube, 'kube-system', 'coredns', { timeoutMs: PODS_READY_MS });
      await podsGone(kube, 'kube-system', before.map((p) => p.name));
      return (await podsReady(kube, 'kube-system', KUBE_DNS_PODS, before.length)).map((p) => p.status!.podIP!);
    });
    evidence.add('coredns.json', { before, after });
    const oldIps = before.map((p) => p.ip);

    // Both flavours probed at once, each with the drops its own nginx pod sent to the old CoreDNS pods.
    // The phase ends with the window; requests still waiting on nginx's resolver answer during the next.
    const probeStarted = Date.now();
    const windows = await phase('probe after the restart', () => Promise.all(
      doors.map(async (door) => {
        const pod = await kube.core.readNamespacedPod({ namespace, name: door.nginxPod.name });
        const series = startProbeSeries(door.url, { ...PROBE, host: door.host });
        const watched = await watchDrops(kube, pod.spec!.nodeName!, PROBE.durationMs / 1000, () => series.sent);
        return { door, podIp: pod.status!.podIP!, series, drops: watched.drops };
      }),
    ));

    // Each flavour's sockets are read before its reload, which replaces them; its log once every request has answered.
    const read = await phase('read sockets, reload, probe again, read logs', () => Promise.all(
      windows.map(async ({ door, podIp, series, drops }) => {
        const { flavour, nginxPod } = door;
        const udp = await kube.exec(nginxPod.namespace, nginxPod.name, nginxPod.container, ['cat', '/proc/net/udp']);
        evidence.add(`${flavour}/proc-net-udp.txt`, udp);
        evidence.add(`${flavour}/cilium-monitor-drops.txt`, monitorText(drops));
        const reloadAtMs = Date.now() - probeStarted;
        const inForceAfterMs = await reloadNginx(kube, nginxPod, door.reloadCommand);
        const probeFromMs = Date.now() - probeStarted;
        const [afterReload, samples] = await Promise.all([probeSeries(door.url, { ...PROBE, ...AFTER_RELOAD, host: door.host }), series.results]);
        evidence.add(`${flavour}/probes-after-restart.json`, samples);
        evidence.add(`${flavour}/probes-after-reload.json`, afterReload);
        // nginx's error log says why each request failed: the resolver timed out on the stale socket.
        const nginxLog = await kube.core.readNamespacedPodLog({ namespace, name: nginxPod.name, container: nginxPod.container, sinceSeconds: Math.ceil((Date.now() - probeStarted + PROBE_TIMEOUT_MS) / 1000) });
        const resolverTimeouts = countResolverTimeouts(nginxLog);
        evidence.add(`${flavour}/nginx-resolver-errors.txt`, resolverTimeouts.lines.join('\n'));
        const times = { reloadAtMs, probeFromMs, endMs: probeFromMs + AFTER_RELOAD.durationMs, reloadInForceAfterMs: Math.round(inForceAfterMs) };
        return { flavour, samples, udp, monitorDrops: dropsToAddresses(drops, oldIps, podIp), resolverTimeouts, times, afterReload };
      }),
    ));

    const unhealed: string[] = [];
    for (const { flavour, samples, udp, monitorDrops, resolverTimeouts, times, afterReload } of read) {
      const udpSockets = parseProcNetUdp(udp);
      const stale = staleDnsSockets(udpSockets.records, after, { clusterIp: dnsIp });
      const healed = healedAfterReload(afterReload.map(statusOf));
      const observed = classifyAuthUrl({ samples: samples.map(toSample), staleSockets: stale.length });
      Object.assign(observed.figures, {
        dropsToOldCoreDns: monitorDrops.figure,
        ...(monitorDrops.skipped ? { monitorLinesSkipped: monitorDrops.skipped } : {}),
        ...(udpSockets.skipped.count > 0 ? { procNetUdpLinesSkipped: `${udpSockets.skipped.count} (first: ${udpSockets.skipped.first ?? ''})` } : {}),
        resolverTimeoutLines: resolverTimeouts.count,
        healedAfterReload: String(healed),
        reloadInForceAfterMs: times.reloadInForceAfterMs,
        staleRemotes: stale.map((s) => `${s.remoteIp}:${s.remotePort}`).join(' ') || 'none',
      });
      const chart = statusTimeline(`${flavour}, ${caseId}: status per request`, samples.map(toSample), afterReload.map(toSample), times);
      await plot(`${flavour}/status-timeline.svg`, chart, `${flavour}: status per request after CoreDNS restarted`);
      await conclude({ story: authUrl, case: caseId, observed, label: flavour });
      if (observed.outcome === 'affected' && !healed) unhealed.push(flavour);
    }
    // Checked after every flavour concluded: a failed assertion ends the test's annotations.
    expect(unhealed, 'nginx -s reload heals every affected flavour: the requests after the reload answer 200').toEqual([]);
  });
});

function monitorText(capture: MonitorCapture): string {
  return capture.collected ? capture.output : `(${capture.reason})`;
}
