import { describe, expect, test } from 'vitest';
import { dropsTo, parseMonitorDrops } from './cilium-monitor.ts';
import { parseSample } from './samples.ts';

describe('parseMonitorDrops', () => {
  test('seed 000: ten stale-IP drops to the old CoreDNS pod and one IPv6 router solicitation', () => {
    const drops = parseMonitorDrops(parseSample('cilium-monitor-drops-seed000.txt'));
    expect(drops).toHaveLength(11);
    expect(drops[0]).toEqual({
      reason: 'Stale or unroutable IP', flow: '0x29e44ff', endpoint: 0,
      srcIdentity: '10977', dstIdentity: 'unknown',
      srcIp: '10.242.0.36', srcPort: 46958, dstIp: '10.242.1.170', dstPort: 53, proto: 'udp',
      raw: 'xx drop (Stale or unroutable IP) flow 0x29e44ff to endpoint 0, , identity 10977->unknown: 10.242.0.36:46958 -> 10.242.1.170:53 udp',
    });
    expect(drops[4]).toMatchObject({
      reason: 'Unsupported L3 protocol', srcIp: 'fe80::c85a:63ff:fe03:5b66', dstIp: 'ff02::2', proto: 'RouterSolicitation',
    });
    expect(drops[4]?.dstPort).toBeUndefined();
  });

  test('dropsTo picks the old CoreDNS IP (10.242.1.170 before the rollout)', () => {
    const drops = parseMonitorDrops(parseSample('cilium-monitor-drops-seed000.txt'));
    const oldIps = parseSample('kubectl-coredns-pods-before-seed000.txt').trim().split('\n').map((l) => l.trim().split(/\s+/)[5] ?? '');
    expect(oldIps).toEqual(['10.242.2.84', '10.242.1.170']);
    expect(dropsTo(drops, '10.242.1.170')).toHaveLength(10);
    expect(dropsTo(drops, '10.242.2.84')).toHaveLength(0);
    expect(dropsTo(drops, '10.242.1.44')).toHaveLength(0);
  });

  test('current agent format: ifindex, file:line, IPv6 [addr]:port; banner and trace lines skipped', () => {
    const drops = parseMonitorDrops(parseSample('cilium-dbg-monitor-drops-format.txt'));
    expect(drops.map((d) => d.reason)).toEqual(['Stale or unroutable IP', 'Policy denied', 'Stale or unroutable IP', 'Unsupported L3 protocol']);
    expect(drops[0]).toMatchObject({ ifindex: 9, file: 'bpf_lxc.c', line: 1473, flow: '0x4b1a3c2e', dstIp: '10.242.1.170', dstPort: 53 });
    expect(drops[1]).toMatchObject({ endpoint: 2417, srcIdentity: '48312', dstIdentity: '21205', dstPort: 8080, proto: 'tcp' });
    expect(drops[2]).toMatchObject({ srcIp: 'fd00:10:242::24', srcPort: 52011, dstIp: 'fd00:10:242:1::aa', dstPort: 53 });
  });

  test('empty and malformed input give nothing', () => {
    expect(parseMonitorDrops('')).toEqual([]);
    expect(parseMonitorDrops('xx drop (Policy denied) flow\nPress Ctrl-C to quit')).toEqual([]);
  });
});
