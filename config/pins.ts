import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Pins {
  kind: string;
  kubernetes: string;
  helm: string;
  go: string;
  debian: { base: string; nginx: string };
  cilium: { default: string; versions: Record<string, string> };
  coredns: string;
  etcd: string;
  pause: string;
  containerd: string;
  runc: string;
  cniPlugins: string;
  criTools: string;
  localPathProvisioner: string;
  metallb: string;
  /** `module` is the Go pseudo-version of k8s.io/ingress-nginx at the release commit. */
  ingressNginx: { version: string; chart: string; module: string };
  actionlint: string;
  upstreamImages: Record<'node' | 'nginx' | 'agnhost' | 'curl' | 'echoTarget', string>;
}

export const PINS_PATH = fileURLToPath(new URL('../pins.json', import.meta.url));

export function loadPins(path = PINS_PATH): Pins {
  return JSON.parse(readFileSync(path, 'utf8')) as Pins;
}

export const pins: Pins = loadPins();
