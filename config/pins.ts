import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Pins {
  kind: string;
  kubernetes: string;
  helm: string;
  go: string;
  debian: { base: string; nginx: string };
  cilium: {
    /** The minor a run uses when CILIUM_VERSION is unset. */
    default: string;
    /** Minor → patch release: the versions every Cilium variant runs. */
    versions: Record<string, string>;
    /**
     * Minor → pre-fix patch release kept only as a positive control: run only by
     * variants that name the minor in `ciliumControls`, never bumped past the fix.
     */
    controls?: Record<string, string>;
  };
  coredns: string;
  etcd: string;
  pause: string;
  containerd: string;
  runc: string;
  cniPlugins: string;
  criTools: string;
  localPathProvisioner: string;
  metallb: string;
  /** github.com/distribution/distribution/v3: the local registry of NETREPRO_NODE_IMAGE=registry. */
  registry: string;
  /** `module` is the Go pseudo-version of k8s.io/ingress-nginx at the release commit. */
  ingressNginx: { version: string; chart: string; module: string };
  actionlint: string;
  upstreamImages: Record<'node' | 'nginx' | 'agnhost' | 'curl' | 'echoTarget' | 'perl', string>;
  /** Repositories of Cilium's per-commit CI images (tag: the commit), for CILIUM_CI_SHA in upstream mode. */
  ciliumCiImages: { agent: string; operator: string; operatorSuffix: string; relay: string };
}

export const PINS_PATH = fileURLToPath(new URL('../pins.json', import.meta.url));

export function loadPins(path = PINS_PATH): Pins {
  return JSON.parse(readFileSync(path, 'utf8')) as Pins;
}

export const pins: Pins = loadPins();
