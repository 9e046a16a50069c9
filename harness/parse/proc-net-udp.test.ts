import { describe, expect, test } from 'vitest';
import { hexToIp, parseProcNetUdp, staleDnsSockets } from './proc-net-udp.ts';
import { parseSample } from './samples.ts';

// kubectl get pods -o wide after the rollout (seed 000): the current CoreDNS endpoints.
const currentEndpoints = parseSample('kubectl-coredns-pods-after-seed000.txt')
  .trim().split('\n').map((line) => line.trim().split(/\s+/)[5] ?? '');

describe('parseProcNetUdp', () => {
  const v4 = parseProcNetUdp(parseSample('proc-net-udp-resolver-pod.txt'));

  test('decodes every socket of the recorded pod namespace', () => {
    expect(v4.map((s) => `${s.localIp}:${s.localPort} ${s.remoteIp}:${s.remotePort} ${s.connected ? 'connected' : 'open'}`)).toEqual([
      '10.242.0.36:37127 10.242.1.170:53 connected',
      '10.242.0.36:37318 10.242.2.84:53 connected',
      '0.0.0.0:8125 0.0.0.0:0 open',
      '10.242.0.36:43239 10.242.1.170:53 connected',
      '10.242.0.36:59980 10.96.0.10:53 connected',
    ]);
    expect(v4[0]).toEqual({
      family: 4, localIp: '10.242.0.36', localPort: 37127, remoteIp: '10.242.1.170', remotePort: 53,
      state: 1, connected: true, uid: 0, inode: 15203, drops: 0,
    });
    expect(v4[2]?.state).toBe(7);
  });

  test('decodes IPv6 words and prints the short form', () => {
    const [s] = parseProcNetUdp(parseSample('proc-net-udp6-resolver-pod.txt'));
    expect(s).toMatchObject({ family: 6, localIp: 'fd00:10:242::24', localPort: 33951, remoteIp: 'fd00:10:96::a', remotePort: 53, connected: true, inode: 15207 });
  });

  test('host loopback sample: 0100007F is 127.0.0.1', () => {
    expect(parseProcNetUdp(parseSample('proc-net-udp-loopback-host.txt'))).toMatchObject([
      { localIp: '127.0.0.1', localPort: 41337, remoteIp: '127.0.0.1', remotePort: 53, connected: true },
    ]);
  });

  test('header only, empty and malformed lines give nothing', () => {
    expect(parseProcNetUdp('')).toEqual([]);
    expect(parseProcNetUdp('   sl  local_address rem_address   st tx_queue\n 12: nothing here\n')).toEqual([]);
  });

  test('hexToIp byte-swaps each 32-bit word', () => {
    expect(hexToIp('AA01F20A')).toBe('10.242.1.170');
    expect(hexToIp('00000000000000000000000001000000')).toBe('::1');
  });
});

describe('staleDnsSockets', () => {
  const sockets = parseProcNetUdp(parseSample('proc-net-udp-resolver-pod.txt'));

  test('seed 000 endpoints after the rollout are 10.242.1.44 and 10.242.2.87', () => {
    expect(currentEndpoints).toEqual(['10.242.1.44', '10.242.2.87']);
  });

  test('sockets still aimed at the old CoreDNS pods are stale; the ClusterIP one is not when passed', () => {
    const stale = staleDnsSockets(sockets, currentEndpoints, { clusterIp: '10.96.0.10' });
    expect(stale.map((s) => `${s.remoteIp}:${s.localPort}`)).toEqual(['10.242.1.170:37127', '10.242.2.84:37318', '10.242.1.170:43239']);
    expect(staleDnsSockets(sockets, currentEndpoints)).toHaveLength(4);
  });

  test('nothing is stale when the peers are the current endpoints', () => {
    expect(staleDnsSockets(sockets, ['10.242.1.170', '10.242.2.84'], { clusterIp: '10.96.0.10' })).toEqual([]);
  });

  test('only connected sockets count: the same line in state 07 is ignored', () => {
    const line = parseSample('proc-net-udp-resolver-pod.txt').split('\n')[1] ?? '';
    const [open] = parseProcNetUdp(line.replace(' 01 ', ' 07 '));
    expect(open).toMatchObject({ remoteIp: '10.242.1.170', remotePort: 53, connected: false });
    expect(staleDnsSockets(open ? [open] : [], currentEndpoints)).toEqual([]);
  });

  test('another port, and no sockets at all', () => {
    expect(staleDnsSockets(sockets, [], { port: 8125 })).toEqual([]);
    expect(staleDnsSockets([], currentEndpoints)).toEqual([]);
  });
});
