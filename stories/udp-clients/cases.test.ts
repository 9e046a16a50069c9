import { describe, expect, test } from 'vitest';
import type { ClusterFeatures } from '../../harness/features.ts';
import { runnableOnExisting, scenarioFloor } from './cases.ts';

const base: ClusterFeatures = {
  nodes: ['a', 'b'], workers: ['b'], cilium: true, ciliumVersion: '1.20.2', kubeProxy: false, kubeProxyReplacement: true, hubble: true, l7Proxy: false,
  socketLB: { enabled: true, hostNamespaceOnly: false, terminatePodConnections: true }, masquerading: 'iptables', hostRouting: 'legacy',
  ciliumSettingsFrom: 'test', ingressClasses: [],
};
const kubeProxyCluster: ClusterFeatures = { ...base, kubeProxy: true, kubeProxyReplacement: false, socketLB: { ...base.socketLB, enabled: false } };

describe('which scenarios run on a cluster netrepro did not make', () => {
  test('the kube-proxy project skips a cluster whose Services go through socket LB or that has no kube-proxy (found on a plain helm install with KPR)', () => {
    expect(runnableOnExisting(base, 'replaced', 'kube-proxy')).toMatchObject({ ok: false, why: expect.stringContaining('has no kube-proxy') });
    expect(runnableOnExisting({ ...base, kubeProxy: true }, 'replaced', 'kube-proxy')).toMatchObject({ ok: false, why: expect.stringContaining('Cilium socket LB') });
    expect(runnableOnExisting(kubeProxyCluster, 'replaced', 'kube-proxy')).toEqual({ ok: true });
  });

  test('the bpf project runs only where socket LB answers, and only the scenario of its hostNamespaceOnly setting', () => {
    expect(runnableOnExisting(kubeProxyCluster, 'replaced', 'bpf')).toMatchObject({ ok: false, why: expect.stringContaining('does not run it') });
    expect(runnableOnExisting(base, 'replaced', 'bpf')).toEqual({ ok: true });
    expect(runnableOnExisting(base, 'terminating-per-packet', 'bpf')).toMatchObject({ ok: false });
    expect(runnableOnExisting({ ...base, socketLB: { ...base.socketLB, hostNamespaceOnly: true } }, 'terminating-per-packet', 'bpf')).toEqual({ ok: true });
    expect(runnableOnExisting(base, 'rev-map-evicted', 'bpf')).toMatchObject({ ok: false });
  });
});

describe('timer floor per scenario test', () => {
  test('grace plus the watch after the old pod is gone; a name without a scenario has none', () => {
    expect(scenarioFloor('udp-clients UDP clients follow their Service when its backend changes [terminating]')?.ms).toBe(80_000);
    expect(scenarioFloor('udp-clients UDP clients follow their Service when its backend changes [replaced]')?.ms).toBe(21_000);
    expect(scenarioFloor('udp-clients something else')).toBeUndefined();
  });
});
