// Story E: long-lived UDP clients of a Service whose only backend changes (README.md beside this file).
// One pass per scenario: both clients watch the same change; each is concluded as its own case.
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { udpClients } from './story.ts';
import { variantByName } from '../../clusters/index.ts';
import { installCilium } from '../../clusters/provision/addons/cilium.ts';
import { describe, expect, test } from '../../harness/fixtures.ts';
import type { Kube } from '../../harness/kube.ts';
import { manifestsOf } from '../../harness/manifest.ts';
import { parseProcNetUdp } from '../../harness/parse/proc-net-udp.ts';
import { step } from '../../harness/progress.ts';
import { startRollout } from '../../harness/restart.ts';
import { PODS_READY_MS } from '../../harness/timeouts.ts';
import { podsReady, until } from '../../harness/wait/index.ts';
import { AFTER_GONE_MS, caseOf, CLIENTS, runnableOnExisting, scenario, scenariosOn, REVERSE_SK_MAP_MIN_ENTRIES } from './cases.ts';
import { parseClientLog, parseFillerLog, type Attempt } from './client-log.ts';
import { CLIENT_INTERVAL_MS, CLIENT_TIMEOUT_MS, classifyUdpClient, UDP_THRESHOLDS, type ChangeTimes, type ClientKind } from './classify.ts';
import { agentOnNode, reverseSkEntriesTo, socketTerminationLines } from './cilium-evidence.ts';
import { conntrackTo } from './conntrack-evidence.ts';
import { repliesTimeline } from './plot.ts';

const cluster = inject('cluster');
const manifest = manifestsOf(import.meta.url);
const CLIENT_SCRIPT = readFileSync(new URL('./manifests/udp-client.pl', import.meta.url), 'utf8');

const PORT = 9376;
/** 2 datagrams/s for 450 s: longer than any pass (baseline, a 60 s grace, the waits), and bounded. */
const MAX_ATTEMPTS = 900;
/** Two processes (one per CPU here), 8× the map's smallest size each: the LRU map is pushed over many times. */
const FILL = { processes: 2, socketsEach: 8 * REVERSE_SK_MAP_MIN_ENTRIES } as const;
const WATCH_INTERVAL_MS = CLIENT_INTERVAL_MS;

const clientPod = (client: ClientKind) => `client-${client}`;

async function clientAttempts(kube: Kube, namespace: string, client: ClientKind): Promise<{ text: string; attempts: Attempt[]; skipped: string }> {
  const text = await kube.core.readNamespacedPodLog({ namespace, name: clientPod(client), container: 'client' });
  const { records, skipped } = parseClientLog(text);
  return { text, attempts: records, skipped: skipped.count ? `${skipped.count} (first: ${skipped.first})` : '' };
}

/** A client pod that stopped before its attempts ran out (a missing perl module, a bad argument): its last log line. */
async function exitedClient(kube: Kube, namespace: string): Promise<{ message: string } | undefined> {
  for (const client of CLIENTS) {
    const pod = await kube.core.readNamespacedPod({ namespace, name: clientPod(client) });
    const terminated = pod.status?.containerStatuses?.[0]?.state?.terminated;
    if (!terminated) continue;
    const log = await kube.core.readNamespacedPodLog({ namespace, name: clientPod(client), container: 'client' }).catch(() => '');
    const last = log.trim().split('\n').at(-1) ?? '';
    return { message: `UDP client ${clientPod(client)} exited (code ${terminated.exitCode}) before the change: ${last || 'no log'} — is perl with Time::HiRes in image ${pod.spec?.containers[0]?.image}? (npm run images -- curl)` };
  }
  return undefined;
}

/** Where each client's socket to the Service port points, from the client pod's /proc/net/udp. */
async function socketPeers(kube: Kube, namespace: string, names: Record<string, string>): Promise<Record<ClientKind, string>> {
  const out = {} as Record<ClientKind, string>;
  for (const client of CLIENTS) {
    const text = await kube.exec(namespace, clientPod(client), 'client', ['cat', '/proc/net/udp']);
    const sockets = parseProcNetUdp(text).records.filter((s) => s.connected && s.remotePort === PORT);
    out[client] = sockets.length === 0 ? 'no socket connected to the port' : sockets.map((s) => names[s.remoteIp] ?? s.remoteIp).join(' ');
  }
  return out;
}

describe('udp-clients', () => {
  test.for(scenariosOn(cluster.variant))('UDP clients follow their Service when its backend changes [%s]', async (scenarioId, { kube, namespace, images, evidence, conclude, requireDisruptive, skipWhen, plot }) => {
    const scen = scenario(cluster.variant, scenarioId);
    const phase = <T>(what: string, fn: () => Promise<T>) => step(`udp-clients [${scenarioId}]: ${what}`, fn);
    if (cluster.mode === 'existing') {
      const runnable = runnableOnExisting(cluster.features, scenarioId, cluster.variant);
      skipWhen(!runnable.ok, `scenario ${scenarioId} cannot run on this cluster: ${runnable.ok ? '' : runnable.why}`);
    }
    let scenarioReady = Promise.resolve();
    if (cluster.mode !== 'existing' && scen.cilium) {
      requireDisruptive('reinstalling Cilium with the scenario\'s values');
      scenarioReady = installCilium(kube, { variant: variantByName(cluster.variant), clusterName: cluster.name, version: cluster.versions.cilium!, imageSource: cluster.imageSource, extra: scen.cilium });
    }

    // The server only listens, so it may start while the values roll out; the clients connect, so they start after.
    const [oldPod] = await phase('scenario values and server', async () => {
      const [, pods] = await Promise.all([
        scenarioReady,
        kube.apply(manifest('server.yaml', { agnhost: images.agnhost, port: PORT, gracePeriodSeconds: scen.gracePeriodSeconds, onSigterm: scen.serverStopsOnSigterm ? 'kill -9 $server' : ':' }), namespace).then(() => podsReady(kube, namespace, 'app=udp-server')),
      ]);
      return pods;
    });
    const oldName = oldPod!.metadata!.name!;
    const oldIp = oldPod!.status!.podIP!;
    const serviceIp = (await kube.core.readNamespacedService({ namespace, name: 'udp-server' })).spec!.clusterIP!;
    await kube.core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'udp-client' }, data: { 'udp-client.pl': CLIENT_SCRIPT } } });
    await kube.apply(manifest('clients.yaml', { image: images.perl, serviceIp, port: PORT, intervalMs: CLIENT_INTERVAL_MS, timeoutMs: CLIENT_TIMEOUT_MS, maxAttempts: MAX_ATTEMPTS, hostNetwork: String(scen.clientsOnHostNetwork ?? false) }), namespace);
    const passStarted = Date.now();

    let baselineSeen = '';
    const baseline = await phase('clients answered before the change', () => until('both UDP clients answered by the backend before the change', async () => {
      const exited = await exitedClient(kube, namespace);
      if (exited) return exited;
      const counts = await Promise.all(CLIENTS.map(async (c) => (await clientAttempts(kube, namespace, c)).attempts.filter((a) => a.reply === oldName).length));
      baselineSeen = CLIENTS.map((c, i) => `${c}: ${counts[i]} answers`).join(', ');
      return counts.every((n) => n >= UDP_THRESHOLDS.minBaselineReplies) ? ('ok' as const) : undefined;
    }, { timeoutMs: PODS_READY_MS, intervalMs: WATCH_INTERVAL_MS * 2 }, () => baselineSeen));
    if (baseline !== 'ok') expect.fail(baseline.message);

    const clientNode = (await kube.core.readNamespacedPod({ namespace, name: clientPod('connected') })).spec!.nodeName!;
    const onBpf = cluster.features.cilium && cluster.features.kubeProxyReplacement;
    const agent = onBpf ? await agentOnNode(kube, clientNode) : undefined;
    const fillFigures: Record<string, string | number> = {};
    if (scen.fillReverseSkMap) {
      fillFigures.reverseSkToOldBeforeFill = agent ? await reverseSkEntriesTo(kube, agent, oldIp) : 'no Cilium agent';
      await kube.apply(manifest('filler.yaml', { image: images.perl, serviceIp, port: PORT, processes: FILL.processes, count: FILL.socketsEach }), namespace);
      await until('the filler pod to finish', async () => {
        const phase = (await kube.core.readNamespacedPod({ namespace, name: 'filler' })).status?.phase;
        if (phase === 'Failed') throw new Error('the filler pod failed: see its log in the evidence');
        return phase === 'Succeeded' ? true : undefined;
      }, { timeoutMs: PODS_READY_MS });
      const filled = parseFillerLog(await kube.core.readNamespacedPodLog({ namespace, name: 'filler' }));
      fillFigures.filledSockets = filled.filled;
      fillFigures.fillFailures = filled.failed;
      fillFigures.reverseSkToOldAfterFill = agent ? await reverseSkEntriesTo(kube, agent, oldIp) : 'no Cilium agent';
      expect(filled.filled, `the filler sent from ${FILL.processes}×${FILL.socketsEach} fresh sockets`).toBe(FILL.processes * FILL.socketsEach);
    }

    // The change: a rollout brings a new pod up, then the old one terminates (its server stops at once).
    await startRollout(kube, namespace, 'udp-server');
    const seen: Partial<ChangeTimes> & { newName?: string; newIp?: string } = {};
    const snapshots: Record<string, unknown> = {};
    let state = '';
    await phase('backend change', () => until(`the old backend ${oldName} to be replaced and gone`, async () => {
      const now = Date.now();
      const pods = (await kube.core.listNamespacedPod({ namespace, labelSelector: 'app=udp-server' })).items;
      const old = pods.find((p) => p.metadata!.name === oldName);
      const fresh = pods.find((p) => p.metadata!.name !== oldName && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      if (fresh && seen.newReadyAt === undefined) Object.assign(seen, { newReadyAt: now, newName: fresh.metadata!.name!, newIp: fresh.status!.podIP! });
      if (old?.metadata?.deletionTimestamp && seen.oldTerminatingAt === undefined) seen.oldTerminatingAt = now;
      if (!old && seen.oldGoneAt === undefined) {
        seen.oldTerminatingAt ??= now;
        seen.oldGoneAt = now;
      }
      // Mid-change look, once the clients should have moved: where their sockets point, what conntrack holds.
      if (seen.newIp && seen.oldTerminatingAt !== undefined && !snapshots.midChange && now >= Math.max(seen.newReadyAt!, seen.oldTerminatingAt) + UDP_THRESHOLDS.recoveryBudgetMs) {
        snapshots.midChange = await look(seen.newIp, seen.newName!);
      }
      state = `new ${seen.newName ?? 'not Ready'}, old ${old ? (old.metadata?.deletionTimestamp ? 'terminating' : 'running') : 'gone'}`;
      return seen.newReadyAt !== undefined && seen.oldGoneAt !== undefined ? true : undefined;
    }, { timeoutMs: scen.gracePeriodSeconds * 1000 + PODS_READY_MS, intervalMs: WATCH_INTERVAL_MS }, () => state));

    const times: ChangeTimes = { oldTerminatingAt: seen.oldTerminatingAt!, newReadyAt: seen.newReadyAt!, oldGoneAt: seen.oldGoneAt!, windowEnd: seen.oldGoneAt! + AFTER_GONE_MS };
    await phase('watch after the old backend is gone', () => until('the clients to log past the end of the window', async () => {
      const logs = await Promise.all(CLIENTS.map((c) => clientAttempts(kube, namespace, c)));
      return logs.every((l) => (l.attempts.at(-1)?.t ?? 0) >= times.windowEnd) ? true : undefined;
    }, { timeoutMs: AFTER_GONE_MS + PODS_READY_MS, intervalMs: WATCH_INTERVAL_MS * 4 }));
    snapshots.end = await look(seen.newIp!, seen.newName!);
    evidence.add('change.json', { oldName, oldIp, newName: seen.newName, newIp: seen.newIp, serviceIp, times, snapshots, fill: fillFigures });

    const terminations = agent ? await socketTerminationLines(kube, agent, Math.ceil((Date.now() - passStarted) / 1000)) : undefined;
    if (terminations) evidence.add('cilium-socket-termination.log', terminations.lines.join('\n') || terminations.note);
    const logs: Array<{ client: ClientKind; attempts: Attempt[] }> = [];
    for (const client of CLIENTS) {
      const log = await clientAttempts(kube, namespace, client);
      evidence.add(`${client}-client.jsonl`, log.text);
      logs.push({ client, attempts: log.attempts });
      const observed = classifyUdpClient({ client, attempts: log.attempts, oldBackend: oldName, newBackend: seen.newName!, times });
      const mid = snapshots.midChange as Look | undefined;
      const end = snapshots.end as Look;
      Object.assign(observed.figures, {
        socketAt10s: mid ? mid.peers[client] : 'not taken (the change was over first)',
        socketAtEnd: end.peers[client],
        ...(mid?.conntrack ? { conntrackAt10s: mid.conntrack } : {}),
        ...(cluster.features.kubeProxy ? { conntrackAtEnd: end.conntrack ?? 'not collected' } : {}),
        ...(terminations ? { agentSocketTerminations: terminations.figure } : {}),
        ...fillFigures,
        ...(log.skipped ? { clientLogLinesSkipped: log.skipped } : {}),
      });
      await conclude({ story: udpClients, case: caseOf(scenarioId, client), observed });
    }
    const chart = repliesTimeline(`${scenarioId}: answers per datagram (${cluster.variant})`, logs, { old: oldName, fresh: seen.newName! }, times, passStarted);
    await plot('answers-timeline.svg', chart, `${scenarioId}: who answered each datagram across the backend change`);

    async function look(newIp: string, newName: string): Promise<Look> {
      const names = { [oldIp]: `old backend ${oldName}`, [newIp]: `new backend ${newName}`, [serviceIp]: 'the ClusterIP' };
      const peers = await socketPeers(kube, namespace, names);
      const conntrack = cluster.features.kubeProxy ? await conntrackTo(clientNode, cluster.nodeContainers, serviceIp, PORT, { old: oldIp, fresh: newIp }) : undefined;
      return { at: Date.now() - passStarted, peers, ...(conntrack ? { conntrack } : {}) };
    }
  });
});

interface Look {
  /** ms since the clients started. */
  at: number;
  peers: Record<ClientKind, string>;
  conntrack?: string;
}
