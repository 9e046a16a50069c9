// Story D (README.md beside this file): backend stickiness and 5xx under CiliumNetworkPolicy.
import { loadBalance } from './story.ts';
import { inject } from 'vitest';
import { classifyLoadBalance, classifyStickiness, type PortRound } from './classify.ts';
import { parsePortRequests } from './port-requests.ts';
import { describe, test } from '../../harness/fixtures.ts';
import type { Kube } from '../../harness/kube.ts';
import { manifestsOf } from '../../harness/manifest.ts';
import { startToolbox } from '../../harness/toolbox.ts';
import { podsReady, until } from '../../harness/wait/index.ts';
import { serviceGrace } from './grace.ts';
import { backendLoadChart, stickinessChart } from './plot.ts';

const manifest = manifestsOf(import.meta.url);

const cluster = inject('cluster');
const REQUESTS = 600;
const RATE = '50/s';
const PORTS = { first: 40000, count: 150 };
/** Past the grace: every port's entry has been closing for longer than the agent keeps its backend. */
const GRACE_MARGIN_MS = 5_000;
/** One round of curls, one per port (or two), each at most 3 s. */
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
  await kube.apply(manifest('backends.yaml', { agnhost }), namespace);
  const backends = (await podsReady(kube, namespace, 'app=backend', 3)).map((p) => p.metadata!.name!);
  const worker1 = cluster.features.nodes.find((n) => n.includes('worker'))!;
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

  test('a reused source port gets a freshly chosen backend once the grace is over', async ({ kube, namespace, images, evidence, conclude, skipWhen, plot }) => {
    skipWhen(!cluster.features.cilium, 'CT_SERVICE stickiness is a Cilium datapath property');
    const s = await deploy(kube, namespace, images.agnhost);
    await firstAnswer(kube, namespace, s);
    const grace = await serviceGrace(kube);
    // Each port twice in a row, then once more after the grace. The server closes each
    // connection (Connection: close), so the client port leaves no TIME_WAIT and is free at once.
    const last = PORTS.first + PORTS.count - 1;
    const ask = `printf ' [%s]' "$(curl -s --local-port $p -H 'Connection: close' --max-time 3 -w ' %{http_code}' http://${s.clusterIP}/hostname)"`;
    const run = async (perPort: number) => {
      const script = `for p in $(seq ${PORTS.first} ${last}); do printf '%s' $p; for i in $(seq ${perPort}); do ${ask}; done; echo; done`;
      const started = Date.now();
      const out = await kube.exec(namespace, s.loadgen, 'toolbox', ['sh', '-c', script], ROUND_EXEC_MS);
      return { byPort: parsePortRequests(out), ms: Date.now() - started };
    };
    const pairs = await run(2);
    const waitedFrom = Date.now();
    await until(`the service grace (${grace.ms / 1000} s, ${grace.source}) to pass for every port`, () => (Date.now() - waitedFrom >= grace.ms + GRACE_MARGIN_MS ? true : undefined), { timeoutMs: grace.ms + GRACE_MARGIN_MS + ROUND_EXEC_MS, intervalMs: 1_000 });
    const later = await run(1);
    const immediate: PortRound[] = [...pairs.byPort].map(([port, [a = '', b = '']]) => ({ port, first: a, second: b }));
    // The port's last answer before the wait: the second request's, or the first's when the second could not be sent.
    const afterGrace: PortRound[] = [...pairs.byPort].map(([port, [a = '', b = '']]) => ({ port, first: b || a, second: later.byPort.get(port)?.[0] ?? '' }));
    evidence.add('port-rounds.json', { grace, immediate, afterGrace, roundMs: { pairs: pairs.ms, later: later.ms } });

    const right = classifyStickiness(immediate);
    const waited = classifyStickiness(afterGrace);
    waited.figures.graceMs = grace.ms;
    waited.figures.graceSource = grace.source;
    await plot('stickiness.svg', stickinessChart([
      { label: 'reused at once', figures: right.figures },
      { label: `reused after ${Math.round((grace.ms + GRACE_MARGIN_MS) / 1000)} s`, figures: waited.figures },
    ]), 'Share of reused source ports that reached the same backend, per round');
    await conclude({ story: loadBalance, case: 'stickiness-immediate', observed: right });
    await conclude({ story: loadBalance, case: 'stickiness', observed: waited });
  });
});
