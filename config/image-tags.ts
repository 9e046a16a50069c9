import { pins as defaultPins, type Pins } from './pins.ts';

// Names of the images built by `npm run images`. The suite and the image build
// both read them from here, so a pin bump renames the image everywhere at once.
export const LOCAL_REPO = 'netrepro';

export function localTags(p: Pins = defaultPins) {
  return {
    base: `${LOCAL_REPO}/base:${p.debian.base}`,
    node: `${LOCAL_REPO}/kind-node:${p.kubernetes}`,
    /** The node image with one Cilium version's images and the workloads already in its containerd. */
    preloadedNode: (version: string) => `${LOCAL_REPO}/kind-node:${p.kubernetes}-cilium-v${version}`,
    agnhost: `${LOCAL_REPO}/agnhost:${p.kubernetes}`,
    nginx: `${LOCAL_REPO}/nginx:${p.debian.nginx}`,
    curl: `${LOCAL_REPO}/curl:${p.debian.base}`,
    cilium: (version: string) => `${LOCAL_REPO}/cilium:v${version}`,
    ciliumOperator: (version: string) => `${LOCAL_REPO}/cilium-operator-generic:v${version}`,
    hubbleRelay: (version: string) => `${LOCAL_REPO}/hubble-relay:v${version}`,
    metallbController: `${LOCAL_REPO}/metallb-controller:${p.metallb}`,
    metallbSpeaker: `${LOCAL_REPO}/metallb-speaker:${p.metallb}`,
    ingressNginx: `${LOCAL_REPO}/ingress-nginx-controller:${p.ingressNginx.version}`,
    /** The registry on the kind network that NETREPRO_NODE_IMAGE=registry pulls from. */
    registry: `${LOCAL_REPO}/registry:${p.registry}`,
    // Base of the nginx image (Debian suite of the nginx pin).
    baseNginx: `${LOCAL_REPO}/base:${p.debian.nginx}`,
    // Images inside the kind node (imported into its containerd).
    kubeApiserver: `${LOCAL_REPO}/kube-apiserver:${p.kubernetes}`,
    kubeControllerManager: `${LOCAL_REPO}/kube-controller-manager:${p.kubernetes}`,
    kubeScheduler: `${LOCAL_REPO}/kube-scheduler:${p.kubernetes}`,
    kubeProxy: `${LOCAL_REPO}/kube-proxy:${p.kubernetes}`,
    etcd: `${LOCAL_REPO}/etcd:${p.etcd}`,
    coredns: `${LOCAL_REPO}/coredns:${p.coredns}`,
    pause: `${LOCAL_REPO}/pause:${p.pause}`,
    kindnetd: `${LOCAL_REPO}/kindnetd:${p.kubernetes}`,
    localPath: `${LOCAL_REPO}/local-path-provisioner:${p.localPathProvisioner}`,
  };
}
