import { describe, expect, test, vi } from 'vitest';
import { VARIANTS } from '../../index.ts';
import { ciImageValues, ciliumValues, mergeValues, splitTag } from './cilium-values.ts';
import { readRunOptions } from '../../../config/env.ts';
import { SOCKET_LB_CASES, currentSocketLbCase } from '../../../stories/auth-url/cases.ts';
import type { ClusterFeatures } from '../../../harness/features.ts';

describe('Cilium helm values', () => {
  test('bpf with upstream images: KPR on, API server by container name, no offline overrides', () => {
    const v = ciliumValues({ variant: VARIANTS.bpf, clusterName: 'netrepro-bpf', ciliumVersion: '1.20.2', local: false });
    expect(v).toMatchObject({ kubeProxyReplacement: true, k8sServiceHost: 'netrepro-bpf-control-plane', k8sServicePort: 6443, ipam: { mode: 'kubernetes' } });
    expect(v).not.toHaveProperty('envoy');
    expect(v).not.toHaveProperty('image');
  });

  test('local images: digests off, no Envoy, no L7 proxy, VXLAN, images by local tag', () => {
    const v = ciliumValues({ variant: VARIANTS.race, clusterName: 'netrepro-race', ciliumVersion: '1.19.8', local: true }) as Record<string, any>;
    expect(v.image).toEqual({ repository: 'netrepro/cilium', tag: 'v1.19.8', useDigest: false, pullPolicy: 'Never' });
    expect(v.operator.image.repository).toBe('netrepro/cilium-operator');
    expect(v.operator.replicas).toBe(1);
    expect(v).toMatchObject({ envoy: { enabled: false }, l7Proxy: false, tunnelProtocol: 'vxlan', bandwidthManager: { enabled: false } });
    expect(v.bpf).toEqual({ masquerade: true });
  });

  test('a case merges into nested values without dropping siblings', () => {
    const v = ciliumValues({ variant: VARIANTS.cnp, clusterName: 'c', ciliumVersion: '1.20.2', local: false, extra: { socketLB: { terminatePodConnections: false } } });
    expect(v.socketLB).toEqual({ hostNamespaceOnly: true, terminatePodConnections: false });
  });

  test('mergeValues replaces arrays and scalars, merges objects, leaves inputs alone', () => {
    const a = { x: { y: 1, z: [1, 2] }, k: 'a' };
    const merged = mergeValues(a, { x: { z: [3] }, k: 'b' });
    expect(merged).toEqual({ x: { y: 1, z: [3] }, k: 'b' });
    expect(a.x.z).toEqual([1, 2]);
  });

  test('CILIUM_CI_SHA, upstream mode: the commit\'s CI images (operator as <repo>-generic-ci), the release\'s chart values otherwise', () => {
    const sha = '0123456789abcdef0123456789abcdef01234567';
    expect(ciImageValues(sha)).toEqual({
      image: { repository: 'quay.io/cilium/cilium-ci', tag: sha, useDigest: false },
      operator: { image: { repository: 'quay.io/cilium/operator', suffix: '-ci', tag: sha, useDigest: false } },
      hubble: { relay: { image: { repository: 'quay.io/cilium/hubble-relay-ci', tag: sha, useDigest: false } } },
    });
    vi.stubEnv('CILIUM_CI_SHA', sha);
    try {
      const up = ciliumValues({ variant: VARIANTS.race, clusterName: 'c', ciliumVersion: '1.20.2', local: false }) as Record<string, any>;
      expect(up.image).toEqual({ repository: 'quay.io/cilium/cilium-ci', tag: sha, useDigest: false });
      expect(up.operator).toMatchObject({ replicas: 1, image: { suffix: '-ci' } });
      const local = ciliumValues({ variant: VARIANTS.race, clusterName: 'c', ciliumVersion: '1.20.2', local: true }) as Record<string, any>;
      expect(local.image.repository).toBe('netrepro/cilium');
    } finally {
      vi.unstubAllEnvs();
    }
    expect(() => readRunOptions({ CILIUM_CI_SHA: 'abc123', NETREPRO_IMAGES: 'upstream' })).toThrow(/not a full commit hash/);
    expect(() => readRunOptions({ CILIUM_CI_SHA: sha })).toThrow(/set NETREPRO_IMAGES=upstream/);
    expect(readRunOptions({ CILIUM_CI_SHA: sha, NETREPRO_IMAGES: 'upstream' }).images).toBe('upstream');
  });

  test('splitTag keeps registry ports in the repository', () => {
    expect(splitTag('localhost:5000/netrepro/cilium:v1.20.2')).toEqual(['localhost:5000/netrepro/cilium', 'v1.20.2']);
  });
});

describe('story A case of an existing cluster', () => {
  const base: ClusterFeatures = {
    nodes: [], workers: [], cilium: true, kubeProxy: false, kubeProxyReplacement: true, hubble: false, l7Proxy: false, ingressClasses: [],
    masquerading: 'iptables', hostRouting: 'legacy', ciliumSettingsFrom: 'test',
    socketLB: { enabled: true, hostNamespaceOnly: false, terminatePodConnections: true },
  };
  test.each([
    [{}, 'default'],
    [{ socketLB: { enabled: true, hostNamespaceOnly: false, terminatePodConnections: false } }, 'terminate-pod-connections-off'],
    [{ socketLB: { enabled: true, hostNamespaceOnly: true, terminatePodConnections: true } }, 'host-namespace-only'],
    [{ kubeProxyReplacement: false, kubeProxy: true }, 'kube-proxy'],
  ])('%j → %s', (patch, expected) => {
    const c = currentSocketLbCase({ ...base, ...patch } as ClusterFeatures);
    expect(c).toBe(expected);
    expect(expected === 'kube-proxy' || expected in SOCKET_LB_CASES).toBe(true);
  });
});
