import { KUBE_DNS_PODS, KUBE_PROXY_PODS } from '../../harness/labels.ts';
import { PODS_READY_MS } from '../../harness/timeouts.ts';
import { harnessSelfCheck } from './story.ts';
import { variantByName } from '../../clusters/index.ts';
import type { Classification } from '../../harness/outcome.ts';
import { describe, expect, test, type Conclusion } from '../../harness/fixtures.ts';
import { probe } from '../../harness/http.ts';
import { manifestsOf } from '../../harness/manifest.ts';
import { workerAddress } from '../../harness/node-exec.ts';
import { restartDaemonSetPodOnNode, restartDeployment } from '../../harness/restart.ts';
import { startToolbox } from '../../harness/toolbox.ts';
import { nameResolves } from '../../harness/wait/coredns.ts';
import { nodesReady, podsReady, until } from '../../harness/wait/index.ts';

const manifest = manifestsOf(import.meta.url);

/** A harness check reached its end: every assertion before it held. */
const checked = (caseId: string, reason: string, figures: Classification['figures']): Conclusion => ({
  story: harnessSelfCheck,
  case: caseId,
  observed: { outcome: 'healthy', reason, figures },
});

describe('the harness can see and disturb a cluster', () => {
  test('every node is Ready, in the variant\'s shape on a cluster netrepro made', async ({ kube, cluster, conclude }) => {
    const ready = await nodesReady(kube, cluster.features.nodes.length, { timeoutMs: 60_000 });
    expect(ready.length).toBe(cluster.features.nodes.length);
    if (cluster.mode !== 'existing') {
      const shape = variantByName(cluster.variant).nodes;
      expect(ready.length, 'nodes of the kind cluster').toBe(shape.controlPlanes + shape.workers);
      expect(ready.filter((n) => !n.endsWith('control-plane')).length, 'workers').toBe(shape.workers);
    }
    await conclude(checked('nodes', `${ready.length}/${cluster.features.nodes.length} nodes Ready`, { nodes: ready.length }));
  });

  test('CoreDNS answers in-cluster names from a pod', async ({ kube, namespace, images, conclude }) => {
    const pod = await startToolbox(kube, { namespace, image: images.agnhost });
    const address = await nameResolves(kube, { namespace, name: pod }, 'kubernetes.default.svc.cluster.local');
    const svc = await kube.core.readNamespacedService({ namespace: 'default', name: 'kubernetes' });
    expect(address).toBe(svc.spec?.clusterIP);
    await conclude(checked('dns', `kubernetes.default resolved to ${address}`, { address }));
  });

  test('a Service answers by ClusterIP from a pod and by NodePort from the runner', async ({ kube, namespace, images, cluster, conclude }) => {
    await kube.apply(manifest('echo.yaml', { agnhost: images.agnhost }), namespace);
    const backends = (await podsReady(kube, namespace, 'app=echo', 2)).map((p) => p.metadata!.name!);
    const svc = await kube.core.readNamespacedService({ namespace, name: 'echo' });
    const clusterIP = svc.spec!.clusterIP!;
    const nodePort = svc.spec!.ports![0]!.nodePort!;

    const toolbox = await startToolbox(kube, { namespace, image: images.agnhost });
    const fromPod = await until('echo to answer on its ClusterIP from a pod', async () => {
      const out = await kube.exec(namespace, toolbox, 'toolbox', ['curl', '-sS', '--max-time', '5', `http://${clusterIP}/hostname`], 15_000);
      return out.trim() || undefined;
    }, { timeoutMs: 60_000 });
    expect(backends).toContain(fromPod);

    const address = await workerAddress(kube, cluster.nodeContainers);
    const fromRunner = await until(`echo to answer on NodePort ${address}:${nodePort} from the runner`, async () => {
      const r = await probe(`http://${address}:${nodePort}/hostname`, { timeoutMs: 3_000 });
      return r.status === 200 ? r.body : undefined;
    }, { timeoutMs: 60_000 });
    expect(backends).toContain(fromRunner);
    await conclude(checked('service', `answered by ${fromPod} (ClusterIP) and ${fromRunner} (NodePort)`, { clusterIP, nodePort }));
  });

  test('restarting CoreDNS replaces its pods', async ({ kube, requireDisruptive, conclude }) => {
    requireDisruptive('rollout restart of CoreDNS');
    const before = (await kube.core.listNamespacedPod({ namespace: 'kube-system', labelSelector: KUBE_DNS_PODS })).items.map((p) => p.metadata!.name!);
    await restartDeployment(kube, 'kube-system', 'coredns', { timeoutMs: PODS_READY_MS });
    const after = (await podsReady(kube, 'kube-system', KUBE_DNS_PODS, before.length)).map((p) => p.metadata!.name!);
    expect(after.filter((n) => before.includes(n))).toEqual([]);
    await conclude(checked('restart-coredns', `${before.length} pods replaced`, { replaced: before.length }));
  });

  test('deleting kube-proxy on a node brings a new kube-proxy pod', async ({ kube, cluster, requireDisruptive, skipWhen, conclude }) => {
    requireDisruptive('restart of kube-proxy on one node');
    skipWhen(!cluster.features.kubeProxy, 'this cluster runs without kube-proxy');
    const node = cluster.features.workers[0]!;
    const { old, replacement } = await restartDaemonSetPodOnNode(kube, 'kube-system', KUBE_PROXY_PODS, node);
    expect(replacement).not.toBe(old);
    await conclude(checked('restart-kube-proxy', `${old} replaced by ${replacement} on ${node}`, { node }));
  });
});
