// Story D (README.md beside this file): backend stickiness and 5xx under CiliumNetworkPolicy.
import { loadBalance } from './story.ts';
import { inject } from 'vitest';
import { classifyLoadBalance, classifyStickiness, type PortRound } from './classify.ts';
import { describe, test } from '../../harness/fixtures.ts';
import type { Kube } from '../../harness/kube.ts';
import { manifestsOf } from '../../harness/manifest.ts';
import { startToolbox } from '../../harness/toolbox.ts';
import { podsReady, until } from '../../harness/wait/index.ts';

const manifest = manifestsOf(import.meta.url);

const cluster = inject('cluster');
const REQUESTS = 600;
const RATE = '50/s';
const PORTS = { first: 40000, count: 300 };
/** Cilium re-selects a backend on SYN once the CT_SERVICE entry has been closing for >30 s. */
const PORT_REUSE_AFTER_MS = 35_000;

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
  test.for(PHASES)('backend load stays even under CiliumNetworkPolicy [$id: $what]', async (phase, { kube, namespace, images, evidence, conclude, skipWhen }) => {
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
    await conclude({ story: loadBalance, case: phase.id, observed });
  });

  test('a reused source port gets a freshly chosen backend', async ({ kube, namespace, images, evidence, conclude, skipWhen }) => {
    skipWhen(!cluster.features.cilium, 'CT_SERVICE stickiness is a Cilium datapath property');
    const s = await deploy(kube, namespace, images.agnhost);
    await firstAnswer(kube, namespace, s);
    // The server closes each connection (Connection: close), so the client port
    // leaves no TIME_WAIT behind and can be reused at once in round 2.
    const last = PORTS.first + PORTS.count - 1;
    const script = `for p in $(seq ${PORTS.first} ${last}); do printf '%s ' $p; curl -s --local-port $p -H 'Connection: close' --max-time 3 -w ' %{http_code}\\n' http://${s.clusterIP}/hostname || echo; done`;
    const round = async () => {
      const out = await kube.exec(namespace, s.loadgen, 'toolbox', ['sh', '-c', script], 300_000);
      return new Map(out.trim().split('\n').map((l) => {
        const [port, backend = '', status = ''] = l.trim().split(/\s+/);
        return [Number(port), status === '200' ? backend : ''] as const;
      }));
    };
    const first = await round();
    await new Promise((r) => setTimeout(r, PORT_REUSE_AFTER_MS));
    const second = await round();
    const rounds: PortRound[] = [...first].map(([port, backend]) => ({ port, first: backend, second: second.get(port) ?? '' }));
    evidence.add('port-rounds.json', rounds);
    await conclude({ story: loadBalance, case: 'stickiness', observed: classifyStickiness(rounds) });
  });
});
