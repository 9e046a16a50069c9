// Story D (README.md beside this file): backend stickiness and 5xx under CiliumNetworkPolicy.
import { loadBalance } from './story.ts';
import { inject } from 'vitest';
import { readFileSync } from 'node:fs';
import { classifyLoadBalance, classifyStickiness, type PortRound } from './classify.ts';
import { parsePortRequests } from './port-requests.ts';
import { describe, test } from '../../harness/fixtures.ts';
import type { Kube } from '../../harness/kube.ts';
import { manifestsOf } from '../../harness/manifest.ts';
import { startToolbox } from '../../harness/toolbox.ts';
import { podsReady, until } from '../../harness/wait/index.ts';
import { GRACE_MARGIN_MS, serviceGrace, STICKINESS_TEST } from './grace.ts';
import { backendLoadChart, stickinessChart } from './plot.ts';

const manifest = manifestsOf(import.meta.url);

const cluster = inject('cluster');
const REQUESTS = 600;
const RATE = '50/s';
/** Source ports of the stickiness rounds: one range per Service, ROUND_PORTS each. */
const PORTS = { plain: 40000, sticky: 41000 };
const ROUND_PORTS = 150;
const REQUEST_TIMEOUT_S = 3;
const REUSER = 'reuser';
const REUSER_SCRIPT = readFileSync(new URL('./manifests/port-reuser.pl', import.meta.url), 'utf8');
/** Backends, one per worker node (required anti-affinity), so each sits behind its own node's datapath. */
const BACKENDS = 3;
const tooFewWorkers = () => cluster.features.workers.length < BACKENDS;
const tooFewWorkersWhy = () => `story D places its ${BACKENDS} backends on ${BACKENDS} different worker nodes; this cluster has ${cluster.features.workers.length}`;
/** One round: ROUND_PORTS ports, one or two requests each, each at most 2 × REQUEST_TIMEOUT_S. */
const ROUND_EXEC_MS = 600_000;

const PHASES = [
  { id: 'P0', l7: false, policies: [], what: 'no policy' },
  { id: 'P1', l7: false, policies: ['p1-backend-ingress.yaml'], what: 'backend L3/L4 ingress policy' },
  { id: 'P2', l7: false, policies: ['p1-backend-ingress.yaml', 'p2-client-egress.yaml'], what: 'plus client egress policy' },
  { id: 'P1-L7', l7: true, policies: ['p1-backend-ingress-l7.yaml'], what: 'backend HTTP ingress policy' },
  { id: 'P2-L7', l7: true, policies: ['p1-backend-ingress-l7.yaml', 'p2-client-egress-l7.yaml'], what: 'HTTP policies on both sides' },
] as const;

interface Setup { backends: string[]; clusterIP: string; loadgen: string }

async function deploy(kube: Kube, namespace: string, agnhost: string): Promise<Setup> {
  await kube.apply(manifest('backends.yaml', { agnhost, backends: BACKENDS }), namespace);
  const backends = (await podsReady(kube, namespace, 'app=backend', 3)).map((p) => p.metadata!.name!);
  const worker1 = cluster.features.workers[0]!;
  const loadgen = await startToolbox(kube, { namespace, name: 'loadgen', image: agnhost, node: worker1 });
  const clusterIP = (await kube.core.readNamespacedService({ namespace, name: 'backend' })).spec!.clusterIP!;
  return { backends, clusterIP, loadgen };
}

/** `<backend> <status>` per line, one new connection per request. */
function parseAnswers(out: string) {
  return out.trim().split('\n').map((line) => {
    const m = /^(\S*)\s+(\d{3})$/.exec(line.trim());
    return { backend: m?.[1] ?? '', status: Number(m?.[2] ?? 0) };
  });
}

async function firstAnswer(kube: Kube, namespace: string, s: Setup) {
  await until(`the load generator to reach backend ${s.clusterIP} through the policies`, async () => {
    const out = await kube.exec(namespace, s.loadgen, 'toolbox', ['curl', '-s', '--max-time', '3', `http://${s.clusterIP}/hostname`], 10_000);
    return out.trim() ? true : undefined;
  }, { timeoutMs: 60_000, intervalMs: 2_000 });
}

describe('backend load under CiliumNetworkPolicy', () => {
  test.for(PHASES)('backend load stays even under CiliumNetworkPolicy [$id: $what]', async (phase, { kube, namespace, images, evidence, conclude, skipWhen, plot }) => {
    skipWhen(!cluster.features.cilium, 'CiliumNetworkPolicy needs Cilium');
    skipWhen(tooFewWorkers(), tooFewWorkersWhy());
    skipWhen(phase.l7 && !cluster.features.l7Proxy, 'L7 policy needs an L7 proxy (Envoy); this cluster runs with l7Proxy=false');
    const s = await deploy(kube, namespace, images.agnhost);
    for (const p of phase.policies) await kube.apply(manifest(`${p}`, {}), namespace);
    await firstAnswer(kube, namespace, s);

    const script = `curl -s --rate ${RATE} -H 'Connection: close' --max-time 3 -w ' %{http_code}\\n' "http://${s.clusterIP}/hostname?i=[1-${REQUESTS}]"; true`;
    const answers = parseAnswers(await kube.exec(namespace, s.loadgen, 'toolbox', ['sh', '-c', script], 120_000));
    evidence.add(`answers-${phase.id}.json`, answers);
    const hits: Record<string, number> = {};
    for (const a of answers) if (a.backend) hits[a.backend] = (hits[a.backend] ?? 0) + 1;
    const observed = classifyLoadBalance({ backends: s.backends, hits, statuses: answers.map((a) => a.status) });
    await plot(`load-${phase.id}.svg`, backendLoadChart(`${phase.id}: ${phase.what}`, s.backends, hits, observed.figures), `${phase.id}: requests per backend against the even share`);
    await conclude({ story: loadBalance, case: phase.id, observed });
  });

  test(STICKINESS_TEST, async ({ kube, namespace, images, evidence, conclude, skipWhen, plot }) => {
    skipWhen(!cluster.features.cilium, 'CT_SERVICE stickiness is a Cilium datapath property');
    skipWhen(tooFewWorkers(), tooFewWorkersWhy());
    const s = await deploy(kube, namespace, images.agnhost);
    await kube.apply(manifest('sticky-service.yaml', {}), namespace);
    await kube.core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'port-reuser' }, data: { 'port-reuser.pl': REUSER_SCRIPT } } });
    await kube.apply(manifest('reuser.yaml', { image: images.perl, node: cluster.features.workers[0]! }), namespace);
    await podsReady(kube, namespace, 'app=reuser', 1);
    await firstAnswer(kube, namespace, s);
    const stickyIP = (await kube.core.readNamespacedService({ namespace, name: 'backend-sticky' })).spec!.clusterIP!;
    const grace = await serviceGrace(kube);

    const errors: Record<string, string> = {};
    const run = async (label: string, serviceIP: string, firstPort: number, perPort: number) => {
      const lastPort = firstPort + ROUND_PORTS - 1;
      const script = `perl /netrepro/port-reuser.pl ${serviceIP} 80 ${firstPort} ${lastPort} ${perPort} ${REQUEST_TIMEOUT_S} >/tmp/${label}.out 2>/tmp/${label}.err; cat /tmp/${label}.out`;
      const started = Date.now();
      const out = await kube.exec(namespace, REUSER, REUSER, ['sh', '-c', script], ROUND_EXEC_MS);
      errors[label] = await kube.exec(namespace, REUSER, REUSER, ['cat', `/tmp/${label}.err`]);
      return { byPort: parsePortRequests(out), ms: Date.now() - started };
    };
    // Each port twice in a row (the second SYN reopens the entry the first connection just closed),
    // then once more after the grace; the same for the sessionAffinity Service, the detector's control.
    const pairs = await run('pairs', s.clusterIP, PORTS.plain, 2);
    const stickyPairs = await run('sticky-pairs', stickyIP, PORTS.sticky, 1);
    const waitedFrom = Date.now();
    await until(`the service grace (${grace.ms / 1000} s, ${grace.source}) to pass for every port`, () => (Date.now() - waitedFrom >= grace.ms + GRACE_MARGIN_MS ? true : undefined), { timeoutMs: grace.ms + GRACE_MARGIN_MS + ROUND_EXEC_MS, intervalMs: 1_000 });
    const later = await run('later', s.clusterIP, PORTS.plain, 1);
    const stickyLater = await run('sticky-later', stickyIP, PORTS.sticky, 1);

    const immediate: PortRound[] = [...pairs.byPort].map(([port, [a = '', b = '']]) => ({ port, first: a, second: b }));
    // The port's last answer before the wait: the second request's, or the first's when the second got none.
    const afterGrace: PortRound[] = [...pairs.byPort].map(([port, [a = '', b = '']]) => ({ port, first: b || a, second: later.byPort.get(port)?.[0] ?? '' }));
    const affinity: PortRound[] = [...stickyPairs.byPort].map(([port, [a = '']]) => ({ port, first: a, second: stickyLater.byPort.get(port)?.[0] ?? '' }));
    evidence.add('port-rounds.json', { grace, immediate, afterGrace, affinity, roundMs: { pairs: pairs.ms, stickyPairs: stickyPairs.ms, later: later.ms, stickyLater: stickyLater.ms } });
    evidence.add('port-reuser-errors.json', errors);

    const right = classifyStickiness(immediate);
    const waited = classifyStickiness(afterGrace);
    const pinned = classifyStickiness(affinity);
    waited.figures.graceMs = grace.ms;
    waited.figures.graceSource = grace.source;
    const after = `after ${Math.round((grace.ms + GRACE_MARGIN_MS) / 1000)} s`;
    await plot('stickiness.svg', stickinessChart([
      { label: 'reused at once', figures: right.figures },
      { label: `reused ${after}`, figures: waited.figures },
      { label: 'ClientIP affinity (control)', figures: pinned.figures },
    ]), 'Share of reused source ports that reached the same backend, per round');
    await conclude({ story: loadBalance, case: 'stickiness-immediate', observed: right });
    await conclude({ story: loadBalance, case: 'stickiness', observed: waited });
    await conclude({ story: loadBalance, case: 'stickiness-affinity', observed: pinned });
  });
});
