import { describe, expect, test } from 'vitest';
import { parseCiliumStatus } from './cilium-status.ts';
import { UnrecognisedInput } from './result.ts';
import { parseSample } from './samples.ts';

describe('parseCiliumStatus', () => {
  test('1.20 verbose status with kube-proxy replacement and iptables masquerading: host routing Legacy, socket LB from the details', () => {
    expect(parseCiliumStatus(parseSample('cilium-dbg-status-verbose-kpr.txt'))).toEqual({
      version: '1.20.2',
      kubeProxyReplacement: true,
      network: 'tunnel (vxlan)',
      hostRouting: 'legacy',
      masquerading: 'iptables',
      hubble: true,
      socketLB: { enabled: true, hostNamespaceOnly: false },
    });
  });

  test('1.20 short status with BPF masquerading: host routing BPF, no socket LB details', () => {
    const s = parseCiliumStatus(parseSample('cilium-dbg-status-bpf-host-routing.txt'));
    expect(s).toMatchObject({ kubeProxyReplacement: true, hostRouting: 'bpf', masquerading: 'bpf', network: 'tunnel (vxlan)' });
    expect(s.socketLB).toBeUndefined();
  });

  test('1.10 status: the separate "Host Routing:" line and "KubeProxyReplacement: Disabled"', () => {
    expect(parseCiliumStatus(parseSample('cilium-status-host-firewall-pr17165.txt'))).toEqual({
      version: '1.10.90',
      kubeProxyReplacement: false,
      hostRouting: 'legacy',
      masquerading: 'iptables',
      hubble: true,
    });
  });

  test('host-namespace-only socket LB coverage (lines built here: no real sample of this coverage)', () => {
    const text = 'KubeProxyReplacement:   True\nKubeProxyReplacement Details:\n  Socket LB:            Enabled\n  Socket LB Coverage:   Hostns-only\n';
    expect(parseCiliumStatus(text).socketLB).toEqual({ enabled: true, hostNamespaceOnly: true });
  });

  test.each([
    ['an exec error', 'error: unable to upgrade connection: container not found ("cilium-agent")'],
    ['prose', 'the agent is not running yet'],
    ['another command', 'ENDPOINT   POLICY (ingress)   POLICY (egress)   IDENTITY'],
    ['nothing', ''],
  ])('%s is UnrecognisedInput, never an empty status', (_, text) => {
    expect(() => parseCiliumStatus(text)).toThrow(UnrecognisedInput);
  });
});
