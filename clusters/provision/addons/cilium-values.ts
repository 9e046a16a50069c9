import type { HelmValues, Variant } from '../../types.ts';
import { localTags } from '../../../config/image-tags.ts';
import { requestedCiliumCiSha } from '../../../config/env.ts';
import { pins } from '../../../config/pins.ts';
import { POD_SUBNET } from '../kind-config.ts';

/** Deep merge for helm values: objects merge, everything else is replaced. */
export function mergeValues(...layers: HelmValues[]): HelmValues {
  const out: HelmValues = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      const prev = out[key];
      out[key] =
        isObject(prev) && isObject(value) ? mergeValues(prev, value) : isObject(value) ? mergeValues(value) : value;
    }
  }
  return out;
}
const isObject = (v: unknown): v is HelmValues => typeof v === 'object' && v !== null && !Array.isArray(v);

const ALL_AT_ONCE = '100%';

/** What every kind cluster needs from Cilium, whatever the variant. */
export function kindBaseValues(clusterName: string): HelmValues {
  return {
    ipam: { mode: 'kubernetes' },
    k8sServiceHost: `${clusterName}-control-plane`,
    k8sServicePort: 6443,
    operator: { replicas: 1, rollOutPods: true },
    // Agents read their config map only at start: a values change (story A's
    // socket-LB cases) must roll them, or the new case would not take effect.
    rollOutCiliumPods: true,
    // A test cluster serves nothing while its values change: every agent restarts
    // at once instead of the chart's two at a time (one wave instead of two on 3 nodes).
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: ALL_AT_ONCE } },
    routingMode: 'tunnel',
    ipv4NativeRoutingCIDR: POD_SUBNET,
  };
}

/**
 * Offline overrides for images built here: no Envoy (C++ cannot be built here),
 * so no L7 proxy; VXLAN because the kernel lacks GENEVE; no bandwidth manager
 * because sch_fq is missing. They change what is tested, and the README says so.
 */
export function localImageValues(ciliumVersion: string): HelmValues {
  const tags = localTags();
  const [agentRepo, agentTag] = splitTag(tags.cilium(ciliumVersion));
  const [operatorRepo, operatorTag] = splitTag(tags.ciliumOperator(ciliumVersion));
  const [relayRepo, relayTag] = splitTag(tags.hubbleRelay(ciliumVersion));
  return {
    image: { repository: agentRepo, tag: agentTag, useDigest: false, pullPolicy: 'Never' },
    operator: { image: { repository: operatorRepo.replace(/-generic$/, ''), tag: operatorTag, useDigest: false, pullPolicy: 'Never' } },
    hubble: { relay: { image: { repository: relayRepo, tag: relayTag, useDigest: false, pullPolicy: 'Never' } } },
    envoy: { enabled: false },
    l7Proxy: false,
    tunnelProtocol: 'vxlan',
    bandwidthManager: { enabled: false },
  };
}

/**
 * Upstream mode with CILIUM_CI_SHA: Cilium's per-commit CI images (the chart
 * stays the release's of CILIUM_VERSION: the closest published one). The
 * operator's image name is <repository>-generic<suffix>, as the chart builds it.
 */
export function ciImageValues(sha: string, repos = pins.ciliumCiImages): HelmValues {
  return {
    image: { repository: repos.agent, tag: sha, useDigest: false },
    operator: { image: { repository: repos.operator, suffix: repos.operatorSuffix, tag: sha, useDigest: false } },
    hubble: { relay: { image: { repository: repos.relay, tag: sha, useDigest: false } } },
  };
}

export function splitTag(ref: string): [string, string] {
  const at = ref.lastIndexOf(':');
  return [ref.slice(0, at), ref.slice(at + 1)];
}

export function ciliumValues(opts: {
  variant: Variant;
  clusterName: string;
  ciliumVersion: string;
  local: boolean;
  extra?: HelmValues;
}): HelmValues {
  return mergeValues(
    kindBaseValues(opts.clusterName),
    opts.variant.cilium ?? {},
    opts.local ? localImageValues(opts.ciliumVersion) : requestedCiliumCiSha() ? ciImageValues(requestedCiliumCiSha()!) : {},
    opts.extra ?? {},
  );
}
