import { pins as defaultPins, type Pins } from '../helpers/pins.ts';

// Names of the images built by `npm run images`. The suite and the image build
// both read them from here, so a pin bump renames the image everywhere at once.
export const LOCAL_REPO = 'netrepro';

export function localTags(p: Pins = defaultPins) {
  return {
    base: `${LOCAL_REPO}/base:${p.debian.base}`,
    node: `${LOCAL_REPO}/kind-node:${p.kubernetes}`,
    agnhost: `${LOCAL_REPO}/agnhost:${p.kubernetes}`,
    nginx: `${LOCAL_REPO}/nginx:${p.debian.nginx}`,
    curl: `${LOCAL_REPO}/curl:${p.debian.base}`,
    cilium: (version: string) => `${LOCAL_REPO}/cilium:v${version}`,
    ciliumOperator: (version: string) => `${LOCAL_REPO}/cilium-operator-generic:v${version}`,
    hubbleRelay: (version: string) => `${LOCAL_REPO}/hubble-relay:v${version}`,
    metallbController: `${LOCAL_REPO}/metallb-controller:${p.metallb}`,
    metallbSpeaker: `${LOCAL_REPO}/metallb-speaker:${p.metallb}`,
    ingressNginx: `${LOCAL_REPO}/ingress-nginx-controller:${p.ingressNginx.version}`,
  };
}
