import { ROLLOUT_MS } from '../../../harness/timeouts.ts';
import { localTags } from '../../../config/image-tags.ts';
import { splitTag } from './cilium-values.ts';
import { goModuleDir } from '../go-module.ts';
import { helmUninstall, helmUpgradeInstall } from '../helm.ts';
import type { ImageSource } from '../../../harness/image-source.ts';
import type { Kube } from '../../../harness/kube.ts';
import { pins } from '../../../config/pins.ts';
import { deploymentRolledOut } from '../../../harness/wait/index.ts';

export const INGRESS_NGINX_HELM_REPO = 'https://kubernetes.github.io/ingress-nginx';
export const INGRESS_NGINX_MODULE = 'k8s.io/ingress-nginx';

export interface IngressNginxRelease {
  release: string;
  namespace: string;
  ingressClass: string;
  /** Only one release of a class creates the IngressClass object. */
  createClass: boolean;
  /** Watch only the release namespace (controller.scope.enabled). */
  scoped: boolean;
  /** Publish the controller Service's address into Ingress status (else: node addresses of its pods). */
  publishService: boolean;
  serviceType: 'LoadBalancer' | 'NodePort';
  /** Also claim Ingresses that name no class (controller.watchIngressWithoutClass). */
  watchWithoutClass?: boolean;
  /** One nginx worker makes the resolver socket deterministic (story A). */
  workerProcesses?: number;
}

async function chartFromModule(): Promise<string> {
  return `${await goModuleDir(INGRESS_NGINX_MODULE, pins.ingressNginx.module)}/charts/ingress-nginx`;
}

export const controllerDeployment = (r: IngressNginxRelease) => `${r.release}-ingress-nginx-controller`;

export function ingressNginxValues(r: IngressNginxRelease, imageSource: ImageSource) {
  const [repo, tag] = splitTag(localTags().ingressNginx);
  const slash = repo.indexOf('/');
  return {
    controller: {
      ...(imageSource === 'local'
        ? { image: { registry: repo.slice(0, slash), image: repo.slice(slash + 1), tag, digest: '', digestChroot: '', pullPolicy: 'Never' } }
        : {}),
      ingressClass: r.ingressClass,
      ingressClassByName: true,
      watchIngressWithoutClass: r.watchWithoutClass ?? false,
      ingressClassResource: { name: r.ingressClass, enabled: r.createClass, controllerValue: `k8s.io/${r.ingressClass}` },
      electionID: `${r.release}-leader`,
      scope: { enabled: r.scoped },
      publishService: { enabled: r.publishService },
      admissionWebhooks: { enabled: false },
      service: { type: r.serviceType },
      config: { 'worker-processes': String(r.workerProcesses ?? 1) },
      replicaCount: 1,
      // Ready within a second of its first sync instead of after the chart's 10 s delay and
      // period (tests wait for it); as slow to be marked unready as with the chart's 3 × 10 s.
      readinessProbe: { initialDelaySeconds: 0, periodSeconds: 1, failureThreshold: 30 },
    },
  };
}

export async function installIngressNginx(kube: Kube, r: IngressNginxRelease, imageSource: ImageSource): Promise<void> {
  const local = imageSource === 'local';
  await helmUpgradeInstall(kube.kubeconfigPath, {
    release: r.release,
    namespace: r.namespace,
    chart: local ? await chartFromModule() : 'ingress-nginx',
    repo: local ? undefined : INGRESS_NGINX_HELM_REPO,
    version: local ? undefined : pins.ingressNginx.chart,
    values: ingressNginxValues(r, imageSource),
  });
  await deploymentRolledOut(kube, r.namespace, controllerDeployment(r), { timeoutMs: ROLLOUT_MS });
}

/** Removes the release, including its cluster-scoped objects that namespace deletion would leave. */
export async function uninstallIngressNginx(kube: Kube, r: IngressNginxRelease): Promise<void> {
  await helmUninstall(kube.kubeconfigPath, r.release, r.namespace);
}
