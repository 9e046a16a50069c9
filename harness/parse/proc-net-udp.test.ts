import { describe, expect, test } from 'vitest';
import { hexToIp, parseProcNetUdp, staleDnsSockets } from './proc-net-udp.ts';
import { UnrecognisedInput } from './result.ts';
import { parseSample } from './samples.ts';

const sockets = (name: string) => parseProcNetUdp(parseSample(name)).records;

// kubectl get pods -o wide after the rollout (seed 000): the current CoreDNS endpoints.
const currentEndpoints = parseSample('kubectl-coredns-pods-after-seed000.txt')
  .trim().split('\n').map((line) => line.trim().split(/\s+/)[5] ?? '');

describe('parseProcNetUdp', () => {
  const v4 = sockets('proc-net-udp-resolver-pod.txt');

  test('decodes every socket of the recorded pod namespace; the header is not a skip', () => {
    expect(parseProcNetUdp(parseSample('proc-net-udp-resolver-pod.txt')).skipped).toEqual({ count: 0 });
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
    const { records: [s], skipped } = parseProcNetUdp(parseSample('proc-net-udp6-resolver-pod.txt'));
    expect(skipped).toEqual({ count: 0 });
    expect(s).toMatchObject({ family: 6, localIp: 'fd00:10:242::24', localPort: 33951, remoteIp: 'fd00:10:96::a', remotePort: 53, connected: true, inode: 15207 });
  });

  test('host loopback sample: 0100007F is 127.0.0.1', () => {
    expect(sockets('proc-net-udp-loopback-host.txt')).toMatchObject([
      { localIp: '127.0.0.1', localPort: 41337, remoteIp: '127.0.0.1', remotePort: 53, connected: true },
    ]);
  });

  test('empty input and the header alone are an empty result', () => {
    const header = parseSample('proc-net-udp-resolver-pod.txt').split('\n')[0] ?? '';
    expect(parseProcNetUdp('')).toEqual({ records: [], skipped: { count: 0 } });
    expect(parseProcNetUdp(`${header}\n`)).toEqual({ records: [], skipped: { count: 0 } });
  });

  test('prose, a kubectl error, binary bytes, a lone truncated line: UnrecognisedInput quoting the first line', () => {
    expect(() => parseProcNetUdp('cat: /proc/net/udp: No such file or directory')).toThrow(UnrecognisedInput);
    expect(() => parseProcNetUdp('error: unable to upgrade connection: container not found ("nginx")')).toThrow(
      '/proc/net/udp output: none of 1 line(s) recognised; first: "error: unable to upgrade connection: container not found ("nginx")"',
    );
    expect(() => parseProcNetUdp('\u0000\u0001\u0002')).toThrow(/first: "\?\?\?"/);
    const header = parseSample('proc-net-udp-resolver-pod.txt').split('\n')[0] ?? '';
    expect(() => parseProcNetUdp(`${header}\n 12: nothing here\n`)).toThrow(/first: "12: nothing here"/);
  });

  test('a truncated socket line among good ones is a counted skip, not a dropped field', () => {
    const text = parseSample('proc-net-udp-resolver-pod.txt');
    const truncated = (text.split('\n')[1] ?? '').slice(0, 60);
    const { records, skipped } = parseProcNetUdp(`${text}${truncated}\n`);
    expect(records).toHaveLength(5);
    expect(skipped).toEqual({ count: 1, first: truncated.trim() });
  });

  test('addresses of different lengths in one line are a counted skip', () => {
    const v4Line = parseSample('proc-net-udp-resolver-pod.txt').split('\n')[1] ?? '';
    const mixed = v4Line.replace('AA01F20A:0035', '100000FD00009600000000000A000000:0035');
    const { records, skipped } = parseProcNetUdp(`${parseSample('proc-net-udp-loopback-host.txt')}${mixed}\n`);
    expect(records).toHaveLength(1);
    expect(skipped.count).toBe(1);
  });

  test('hexToIp byte-swaps each 32-bit word', () => {
    expect(hexToIp('AA01F20A')).toBe('10.242.1.170');
    expect(hexToIp('00000000000000000000000001000000')).toBe('::1');
  });
});

describe('staleDnsSockets', () => {
  const resolver = sockets('proc-net-udp-resolver-pod.txt');

  test('seed 000 endpoints after the rollout are 10.242.1.44 and 10.242.2.87', () => {
    expect(currentEndpoints).toEqual(['10.242.1.44', '10.242.2.87']);
  });

  test('sockets still aimed at the old CoreDNS pods are stale; the ClusterIP one is not when passed', () => {
    const stale = staleDnsSockets(resolver, currentEndpoints, { clusterIp: '10.96.0.10' });
    expect(stale.map((s) => `${s.remoteIp}:${s.localPort}`)).toEqual(['10.242.1.170:37127', '10.242.2.84:37318', '10.242.1.170:43239']);
    expect(staleDnsSockets(resolver, currentEndpoints)).toHaveLength(4);
  });

  test('nothing is stale when the peers are the current endpoints', () => {
    expect(staleDnsSockets(resolver, ['10.242.1.170', '10.242.2.84'], { clusterIp: '10.96.0.10' })).toEqual([]);
  });

  test('only connected sockets count: the same line in state 07 is ignored', () => {
    const line = parseSample('proc-net-udp-resolver-pod.txt').split('\n')[1] ?? '';
    const { records: [open] } = parseProcNetUdp(line.replace(' 01 ', ' 07 '));
    expect(open).toMatchObject({ remoteIp: '10.242.1.170', remotePort: 53, connected: false });
    expect(staleDnsSockets(open ? [open] : [], currentEndpoints)).toEqual([]);
  });

  test('another port, and no sockets at all', () => {
    expect(staleDnsSockets(resolver, [], { port: 8125 })).toEqual([]);
    expect(staleDnsSockets([], currentEndpoints)).toEqual([]);
  });
});
