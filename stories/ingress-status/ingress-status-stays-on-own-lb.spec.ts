// Story B (README.md beside this file): an unscoped ingress-nginx fights over every Ingress's status.
import { ingressStatus } from './story.ts';
import { inject } from 'vitest';
import { installIngressNginx, uninstallIngressNginx, controllerDeployment, type IngressNginxRelease } from '../../clusters/provision/addons/ingress-nginx.ts';
import { classifyIngressStatus } from './classify.ts';
import { step } from '../../harness/progress.ts';
import { describe, expect, test } from '../../harness/fixtures.ts';
import { imageExists } from '../../harness/image-source.ts';
import { manifestsOf } from '../../harness/manifest.ts';
import { createNamespace, deleteNamespace } from '../../harness/namespace.ts';
import { parseStatusUpdates } from './parse.ts';
import { until } from '../../harness/wait/index.ts';
import { startIngressWatch, WATCH_MS } from './watch.ts';
import { failedByIngress, requestThroughAdvertised } from './reach.ts';
import { advertisedTimeline } from './plot.ts';
import { inSubnet, kindNetworkSubnet } from '../../harness/docker-network.ts';
import { localTags } from '../../config/image-tags.ts';
import type { Kube } from '../../harness/kube.ts';
import { INGRESS_NGINX_CONTROLLER_CONTAINER, INGRESS_NGINX_CONTROLLER_PODS } from '../../harness/labels.ts';

const manifest = manifestsOf(import.meta.url);

const cluster = inject('cluster');
const CASES = ['misconfigured', 'classless', 'fixed'] as const;

async function lbIp(kube: Kube, r: IngressNginxRelease): Promise<string> {
  return until(`a LoadBalancer IP for ${r.namespace}/${controllerDeployment(r)}`, async () => {
    const svc = await kube.core.readNamespacedService({ namespace: r.namespace, name: controllerDeployment(r) });
    return svc.status?.loadBalancer?.ingress?.[0]?.ip;
  }, { timeoutMs: 120_000 });
}

describe('ingress status', () => {
  test.for(CASES)('ingress status stays on its own load-balancer address [%s]', async (caseId, { kube, namespace, images, evidence, conclude, skipWhen, defer, plot }) => {
    if (cluster.imageSource === 'local') {
      skipWhen(!(await imageExists(localTags().ingressNginx)), `local image ${localTags().ingressNginx} is not built (npm run images -- ingress-nginx)`);
    }
    const pool = await kube.objects
      .read({ apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'kind-pool', namespace: 'metallb-system' } })
      .then((p) => (p as unknown as { spec: { addresses: string[] } }).spec.addresses, () => undefined);
    skipWhen(!pool, 'no MetalLB IPAddressPool metallb-system/kind-pool: story B needs the puzzle variant\'s LoadBalancer');

    const ownNamespace = async (suffix: string) => {
      const ns = await createNamespace(kube, `${caseId}-${suffix}`, cluster.runId);
      defer(() => deleteNamespace(kube, ns));
      return ns;
    };
    const namespaces = [namespace, await ownNamespace('two'), await ownNamespace('three')];
    const ingressClass = namespace;
    // classless: the seed's own shape, misconfigured as above, with Ingresses that name no class.
    const misconfigured = caseId !== 'fixed';
    const classless = caseId === 'classless';
    const releases: IngressNginxRelease[] = namespaces.map((ns, i) => ({
      release: ['one', 'two', 'three'][i]!,
      namespace: ns,
      ingressClass,
      createClass: i === 0,
      // Release two is the seed's culprit: scope off and no publish service.
      scoped: !(misconfigured && i === 1),
      publishService: !(misconfigured && i === 1),
      serviceType: 'LoadBalancer',
      watchWithoutClass: classless,
    }));
    // The three releases install at once; each one made is handed to defer, even when another failed.
    const installStarted = Date.now();
    const installed = await step(`ingress-status [${caseId}]: install 3 ingress-nginx releases`, () => Promise.allSettled(releases.map((r) => installIngressNginx(kube, r, cluster.imageSource))));
    releases.forEach((r, i) => {
      if (installed[i]!.status === 'fulfilled') defer(() => uninstallIngressNginx(kube, r));
    });
    const failed = installed.find((x) => x.status === 'rejected');
    if (failed) throw failed.reason;
    const controllersReadyS = Math.round((Date.now() - installStarted) / 1000);
    const ownLb: Record<string, string> = {};
    for (const r of releases) ownLb[`${r.namespace}/test`] = await lbIp(kube, r);
    for (const ns of namespaces) {
      await kube.apply(manifest('app.yaml', { agnhost: images.agnhost }), ns);
      await kube.apply(classless ? manifest('ingress-classless.yaml') : manifest('ingress.yaml', { ingressClass }), ns);
    }

    // A client that follows the advertised status, for the whole watch: flapping shows as failed requests.
    const watch = await startIngressWatch(kube, namespaces);
    const subnet = await kindNetworkSubnet();
    const requests = await step(`ingress-status [${caseId}]: watch and request through the advertised addresses`, () => requestThroughAdvertised(watch.current, WATCH_MS, (ip) => inSubnet(ip, subnet)));
    const timeline = watch.stop();
    evidence.add('status-timeline.json', timeline);
    evidence.add('requests-through-advertised.json', requests);
    const nodeIps = (await kube.core.listNode()).items.flatMap((n) => n.status?.addresses?.filter((a) => a.type === 'InternalIP').map((a) => a.address) ?? []);

    const writers: Record<string, number> = {};
    for (const r of releases) {
      const pods = await kube.core.listNamespacedPod({ namespace: r.namespace, labelSelector: INGRESS_NGINX_CONTROLLER_PODS });
      for (const p of pods.items) {
        const log = String(await kube.core.readNamespacedPodLog({ namespace: r.namespace, name: p.metadata!.name!, container: INGRESS_NGINX_CONTROLLER_CONTAINER }));
        evidence.add(`controller-${r.release}.log`, log);
        const parsed = parseStatusUpdates(log, { writer: r.release });
        if (parsed.skipped.count > 0) evidence.add(`controller-${r.release}.skipped.json`, parsed.skipped);
        for (const u of parsed.records) {
          const toNode = u.to.some((a) => nodeIps.includes(a));
          const key = `${r.release}->${toNode ? 'NODE' : 'LB'}`;
          writers[key] = (writers[key] ?? 0) + 1;
        }
      }
    }

    const scopedNamespaces = releases.filter((r) => r.scoped).map((r) => r.namespace);
    const observed = classifyIngressStatus({ timeline, classes: { lbPool: pool!, nodeIps }, scopedNamespaces, ownLbIps: ownLb });
    // Every release shares one field manager, so controller logs name the writer.
    observed.figures.writers = Object.entries(writers).map(([k, v]) => `${k}:${v}`).join(' ') || 'none';
    observed.figures.statusChanges = timeline.length;
    observed.figures.threeControllersReadyS = controllersReadyS;
    const reach = failedByIngress(requests.filter((r) => scopedNamespaces.includes(r.ingress.split('/')[0] ?? '')));
    for (const [ingress, { sent, failed }] of reach) observed.figures[`failedThroughAdvertised:${ingress}`] = `${failed}/${sent}`;
    const release = new Map(releases.map((r) => [r.namespace, r.release]));
    const nameOf = (ingress: string) => `${release.get(ingress.split('/')[0] ?? '') ?? ingress.split('/')[0]}/${ingress.split('/')[1]}`;
    const chart = advertisedTimeline(`${caseId}: advertised address per Ingress (namespace of release one, two, three)`, timeline, { lbPool: pool!, nodeIps }, requests, WATCH_MS, nameOf);
    await plot('advertised-addresses.svg', chart, `${caseId}: each Ingress's advertised address and the requests that followed it`);
    await conclude({ story: ingressStatus, case: caseId, observed });
    if (observed.outcome === 'affected') {
      expect.soft(writers['two->NODE'] ?? 0, 'the unscoped release "two" is the one writing node addresses').toBeGreaterThan(0);
      const failed = [...reach.values()].reduce((n, e) => n + e.failed, 0);
      expect.soft(failed, 'a client following the flapping status fails some of its requests').toBeGreaterThan(0);
    } else if (observed.outcome === 'healthy') {
      const failed = [...reach.values()].reduce((n, e) => n + e.failed, 0);
      expect.soft(failed, 'a client following a stable status on the own LB IP never fails').toBe(0);
    }
  });
});
