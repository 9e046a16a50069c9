import { RESOLVER_VALID_SECONDS } from './classify.ts';
import { INGRESS_NGINX_CONTROLLER_CONTAINER, INGRESS_NGINX_CONTROLLER_PODS } from '../../harness/labels.ts';
import { ROUTE_READY_MS } from '../../harness/timeouts.ts';
import { installIngressNginx, uninstallIngressNginx, controllerDeployment, type IngressNginxRelease } from '../../clusters/provision/addons/ingress-nginx.ts';
import type { ClusterInfo } from '../../harness/context.ts';
import type { WorkloadImages } from '../../harness/image-source.ts';
import type { Kube } from '../../harness/kube.ts';
import { manifestsOf } from '../../harness/manifest.ts';
import { workerAddress } from '../../harness/node-exec.ts';
import { probe } from '../../harness/http.ts';
import { podsReady, until } from '../../harness/wait/index.ts';

const manifest = manifestsOf(import.meta.url);

/** The random tail of a test namespace's name, enough to tell runs apart. */
const RELEASE_SUFFIX_CHARS = 6;

/** nginx alone (the write-up's code path, small and fast) and ingress-nginx itself. */
export const FLAVOURS = ['plain-nginx', 'ingress-nginx'] as const;
export type Flavour = (typeof FLAVOURS)[number];

/** Where to send requests and which pod holds nginx's resolver sockets. */
export interface AuthFrontDoor {
  flavour: Flavour;
  url: string;
  host?: string;
  nginxPod: { namespace: string; name: string; container: string };
  /** Makes nginx re-read its configuration, opening fresh resolver sockets. */
  reloadCommand: string[];
  cleanup: () => Promise<void>;
}

type DeployContext = { kube: Kube; namespace: string; images: WorkloadImages; cluster: ClusterInfo; dnsIp: string };

const HOST = 'auth-url.netrepro.test';

async function deployBackends(kube: Kube, namespace: string, images: WorkloadImages): Promise<void> {
  await kube.apply(manifest('backends.yaml', { agnhost: images.agnhost }), namespace);
  await podsReady(kube, namespace, 'app=app');
  await podsReady(kube, namespace, 'app=auth');
}

/** nginx answers 200 through the whole chain (front door, auth, app); an Ingress takes a moment to be configured. */
async function routed(url: string, host?: string): Promise<void> {
  let last = '';
  await until(`${url}${host ? ` (Host ${host})` : ''} to answer 200 through auth and app`, async () => {
    const r = await probe(url, { host, timeoutMs: 5_000 });
    last = String(r.status);
    return r.status === 200 ? true : undefined;
  }, { timeoutMs: ROUTE_READY_MS }, () => `status ${last}`);
}

async function deployFrontDoorUnchecked(flavour: Flavour, ctx: DeployContext): Promise<AuthFrontDoor> {
  const { kube, namespace, images, cluster } = ctx;
  const address = await workerAddress(kube, cluster.nodeContainers);
  if (flavour === 'plain-nginx') {
    await kube.apply(manifest('plain-nginx.yaml', { nginx: images.nginx, namespace, dnsIp: ctx.dnsIp, resolverValidSeconds: RESOLVER_VALID_SECONDS }), namespace);
    const [pod] = await podsReady(kube, namespace, 'app=nginx');
    const svc = await kube.core.readNamespacedService({ namespace, name: 'nginx' });
    return {
      flavour,
      url: `http://${address}:${svc.spec!.ports![0]!.nodePort}/`,
      nginxPod: { namespace, name: pod!.metadata!.name!, container: 'nginx' },
      reloadCommand: ['nginx', '-c', '/etc/netrepro/nginx.conf', '-s', 'reload'],
      cleanup: async () => undefined,
    };
  }
  // The release names cluster-scoped objects (ClusterRole, IngressClass): one name per namespace keeps runs apart.
  const release: IngressNginxRelease = {
    release: `auth-${namespace.slice(-RELEASE_SUFFIX_CHARS)}`, namespace, ingressClass: namespace, createClass: true, scoped: true, publishService: true, serviceType: 'NodePort', workerProcesses: 1,
  };
  try {
    await installIngressNginx(kube, release, cluster.imageSource);
  } catch (e) {
    // Namespace deletion would leave the release's cluster-scoped objects behind, and the next run would trip over them.
    await uninstallIngressNginx(kube, release).catch(() => undefined);
    throw e;
  }
  await kube.apply(manifest('ingress.yaml', { namespace, ingressClass: namespace, host: HOST }), namespace);
  const [pod] = await podsReady(kube, namespace, INGRESS_NGINX_CONTROLLER_PODS);
  const svc = await kube.core.readNamespacedService({ namespace, name: controllerDeployment(release) });
  const http = svc.spec!.ports!.find((p) => p.name === 'http')!;
  return {
    flavour,
    url: `http://${address}:${http.nodePort}/`,
    host: HOST,
    nginxPod: { namespace, name: pod!.metadata!.name!, container: INGRESS_NGINX_CONTROLLER_CONTAINER },
    reloadCommand: ['/bin/sh', '-c', 'nginx -s reload'],
    cleanup: () => uninstallIngressNginx(kube, release),
  };
}

/**
 * Deploys the backends and every flavour's front door at once, while `caseReady`
 * (the case's Cilium values rolling out) runs. Pods may start during that
 * rollout: nginx connects its resolver socket on its first proxied request, and
 * the first request here waits until the case's values are in force. Each door
 * made is handed to `defer`, even when another part failed.
 */
export async function deployFrontDoors(ctx: DeployContext, caseReady: Promise<void>, defer: (cleanup: () => Promise<void>) => void): Promise<AuthFrontDoor[]> {
  const [cilium, backends, ...made] = await Promise.allSettled([caseReady, deployBackends(ctx.kube, ctx.namespace, ctx.images), ...FLAVOURS.map((f) => deployFrontDoorUnchecked(f, ctx))]);
  const doors = made.flatMap((d) => (d.status === 'fulfilled' ? [d.value as AuthFrontDoor] : []));
  for (const door of doors) defer(door.cleanup);
  const failed = [cilium, backends, ...made].find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  await Promise.all(doors.map((door) => routed(door.url, door.host)));
  return doors;
}
