import { describe, expect, test } from 'vitest';
import { dropsTo, monitorListened, parseMonitorDrops } from './cilium-monitor.ts';
import { UnrecognisedInput } from './result.ts';
import { parseSample } from './samples.ts';

const drops = (name: string) => parseMonitorDrops(parseSample(name));

describe('parseMonitorDrops, one-line form', () => {
  test('seed 000: ten stale-IP drops to the old CoreDNS pod and one IPv6 router solicitation', () => {
    const { records, skipped } = drops('cilium-monitor-drops-seed000.txt');
    expect(skipped).toEqual({ count: 0 });
    expect(records).toHaveLength(11);
    expect(records[0]).toEqual({
      reason: 'Stale or unroutable IP', flow: '0x29e44ff', endpoint: 0,
      srcIdentity: '10977', dstIdentity: 'unknown',
      srcIp: '10.242.0.36', srcPort: 46958, dstIp: '10.242.1.170', dstPort: 53, proto: 'udp',
      raw: 'xx drop (Stale or unroutable IP) flow 0x29e44ff to endpoint 0, , identity 10977->unknown: 10.242.0.36:46958 -> 10.242.1.170:53 udp',
    });
    expect(records[4]).toMatchObject({
      reason: 'Unsupported L3 protocol', srcIp: 'fe80::c85a:63ff:fe03:5b66', dstIp: 'ff02::2', proto: 'RouterSolicitation',
    });
    expect(records[4]?.dstPort).toBeUndefined();
  });

  test('dropsTo picks the old CoreDNS IP (10.242.1.170 before the rollout)', () => {
    const { records } = drops('cilium-monitor-drops-seed000.txt');
    const oldIps = parseSample('kubectl-coredns-pods-before-seed000.txt').trim().split('\n').map((l) => l.trim().split(/\s+/)[5] ?? '');
    expect(oldIps).toEqual(['10.242.2.84', '10.242.1.170']);
    expect(dropsTo(records, '10.242.1.170')).toHaveLength(10);
    expect(dropsTo(records, '10.242.2.84')).toHaveLength(0);
    expect(dropsTo(records, '10.242.1.44')).toHaveLength(0);
  });

  test('drop lines without a flow field (Cilium docs, ~1.0 agent): banner recognised, five drops', () => {
    const { records, skipped } = drops('cilium-monitor-drops-no-flow-docs.txt');
    expect(skipped).toEqual({ count: 0 });
    expect(records.map((d) => d.reason)).toEqual(['Policy denied', 'Policy denied', 'Policy denied', 'Policy denied', 'Invalid destination mac']);
    expect(records[0]).toEqual({
      reason: 'Policy denied', endpoint: 25729, srcIdentity: '261', dstIdentity: '264',
      srcIp: 'fd02::c0a8:210b:0:bf00', dstIp: 'fd02::c0a8:210b:0:6481', proto: 'EchoRequest',
      raw: 'xx drop (Policy denied) to endpoint 25729, identity 261->264: fd02::c0a8:210b:0:bf00 -> fd02::c0a8:210b:0:6481 EchoRequest',
    });
    expect(records[2]).toMatchObject({ srcIp: '10.11.13.37', dstIp: '10.11.101.61' });
    expect(records[4]).toMatchObject({ endpoint: 0, srcIdentity: '0', dstIdentity: '0', dstIp: 'ff02::2' });
    expect(records.every((d) => d.flow === undefined)).toBe(true);
  });

  test('no flow field and `(reason (L3)),` with a comma (issue 2571); the trace line before it is recognised', () => {
    const { records, skipped } = drops('cilium-monitor-drops-no-flow-issue2571.txt');
    expect(skipped).toEqual({ count: 0 });
    expect(records).toEqual([{
      reason: 'Policy denied (L3)', endpoint: 15532, srcIdentity: '642', dstIdentity: '643',
      srcIp: '10.1.193.166', dstIp: '10.1.161.37', proto: 'EchoRequest',
      raw: 'xx drop (Policy denied (L3)), to endpoint 15532, identity 642->643: 10.1.193.166 -> 10.1.161.37 EchoRequest',
    }]);
  });

  test('a full `cilium monitor` stream: trace (`->`, `<-`) and agent (`>>`) lines are recognised, drops kept', () => {
    const { records, skipped } = drops('cilium-monitor-mixed-issue3462.txt');
    expect(skipped).toEqual({ count: 0 });
    expect(records).toHaveLength(3);
    expect(records[0]).toMatchObject({ reason: 'Invalid destination mac', flow: '0xc60e236c', srcIdentity: '39773', dstIp: 'ff02::2' });
  });

  test('DNS drops with flow and `identity A->B` (issue 5496), `::` source and `58(0)` summary', () => {
    const { records, skipped } = drops('cilium-monitor-drops-issue5496.txt');
    expect(skipped).toEqual({ count: 0 });
    expect(records).toHaveLength(9);
    expect(records[1]).toMatchObject({ reason: 'Unknown L3 target address', srcIp: '::', dstIp: 'ff02::1:ff00:ab0d', proto: 'NeighborSolicitation' });
    expect(records[2]).toMatchObject({ reason: 'Policy denied (L3)', flow: '0xdd1bea99', srcPort: 38631, dstIp: '10.2.2.169', dstPort: 53, proto: 'udp' });
    expect(records[4]?.proto).toBe('58(0)');
    expect(dropsTo(records, '10.2.2.169')).toHaveLength(3);
  });

  test('current agents: ifindex, file:line, `, ,` and the monitor\'s own log line (AKS docs)', () => {
    const { records, skipped } = drops('cilium-monitor-drops-aks-docs.txt');
    expect(skipped).toEqual({ count: 0 });
    expect(records).toEqual([{
      reason: 'Policy denied', flow: '0xfddd76f6', endpoint: 0, ifindex: 29, file: 'bpf_lxc.c', line: 1274,
      srcIdentity: '48447', dstIdentity: 'world', srcIp: '192.168.0.149', srcPort: 45830, dstIp: '93.184.215.14', dstPort: 80, proto: 'tcp',
      raw: 'xx drop (Policy denied) flow 0xfddd76f6 to endpoint 0, ifindex 29, file bpf_lxc.c:1274, , identity 48447->world: 192.168.0.149:45830 -> 93.184.215.14:80 tcp SYN',
    }]);
  });

  test('1.13 agents print a numeric file id (issue 25460)', () => {
    const { records } = drops('cilium-monitor-drops-file-id-issue25460.txt');
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ endpoint: 737, ifindex: 203, file: '2', line: 2192, srcIdentity: '8847360', dstIdentity: '12727', proto: '143(0)' });
  });

  test('a policy verdict line is recognised, the drop after it kept (issue 16261)', () => {
    const { records, skipped } = drops('cilium-monitor-policy-verdict-issue16261.txt');
    expect(skipped).toEqual({ count: 0 });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ reason: 'Policy denied', endpoint: 643, srcIdentity: '2', dstIdentity: '91964' });
  });
});

describe('parseMonitorDrops, verbose form (`cilium monitor -v`)', () => {
  test('current agents print the layers before the DROP summary line (issue 18437)', () => {
    const { records, skipped } = drops('cilium-monitor-v-drops-issue18437.txt');
    expect(skipped).toEqual({ count: 0 });
    expect(records).toEqual([
      {
        reason: 'Stale or unroutable IP', mark: '0xdca8ec9b', cpu: 1, from: 1833, bytes: 86,
        srcIdentity: 'host', dstIdentity: 'unknown', srcIp: 'fd04::11', srcPort: 48816, dstIp: 'fd02::98', dstPort: 4240, proto: 'tcp',
        raw: 'CPU 01: MARK 0xdca8ec9b FROM 1833 DROP: 86 bytes, reason Stale or unroutable IP, identity host->unknown',
      },
      {
        reason: 'Unknown L3 target address', mark: '0x0', cpu: 1, from: 812, bytes: 78,
        srcIp: '::', dstIp: 'ff02::1:ff5e:ca62', proto: 'ICMPv6',
        raw: 'CPU 01: MARK 0x0 FROM 812 DROP: 78 bytes, reason Unknown L3 target address',
      },
    ]);
  });

  test('older agents print the DROP line first, then the layers; the trace event before it is not a drop (issue 6305)', () => {
    const { records, skipped } = drops('cilium-monitor-v-drops-issue6305.txt');
    expect(skipped).toEqual({ count: 0 });
    expect(records).toEqual([{
      reason: 'Invalid source ip', mark: '0xc9c179c2', cpu: 3, from: 19049, bytes: 93, ifindex: 0, srcIdentity: '41288', dstIdentity: '0',
      raw: 'CPU 03: MARK 0xc9c179c2 FROM 19049 DROP: 93 bytes, reason Invalid source ip, to ifindex 0, identity 41288->0',
    }]);
  });

  test('verbose trace and debug events with their layers are recognised: no drop, nothing skipped', () => {
    expect(drops('cilium-monitor-v-trace-issue18437.txt')).toEqual({ records: [], skipped: { count: 0 } });
    expect(drops('cilium-monitor-v-debug-issue1298.txt')).toEqual({ records: [], skipped: { count: 0 } });
  });
});

describe('parseMonitorDrops, empty and garbage input', () => {
  const banner = parseSample('cilium-monitor-drops-issue5496.txt').split('\n').slice(0, 2).join('\n');

  test('`--type drop` that saw no drop prints only the banner: a valid empty result', () => {
    expect(banner).toBe('Listening for events on 2 CPUs with 64x4096 of shared memory\nPress Ctrl-C to quit');
    expect(parseMonitorDrops(banner)).toEqual({ records: [], skipped: { count: 0 } });
    expect(parseMonitorDrops(`${banner}\n`)).toEqual({ records: [], skipped: { count: 0 } });
    expect(parseMonitorDrops('')).toEqual({ records: [], skipped: { count: 0 } });
  });

  test('monitorListened: the banner shows the monitor ran; empty output or an error does not', () => {
    expect(monitorListened(banner)).toBe(true);
    expect(monitorListened(parseSample('cilium-monitor-drops-aks-docs.txt'))).toBe(true);
    expect(monitorListened('')).toBe(false);
    expect(monitorListened('(monitor failed: exec in kube-system/cilium-x: no answer within 120 s)')).toBe(false);
  });

  test('prose, a kubectl error, the spec\'s own failure note, binary bytes: UnrecognisedInput quoting the first line', () => {
    expect(() => parseMonitorDrops('The monitor could not be started on this node.\nTry again later.')).toThrow(UnrecognisedInput);
    expect(() => parseMonitorDrops('Error from server (NotFound): pods "cilium-x7k2p" not found')).toThrow(
      'cilium monitor drop output: none of 1 line(s) recognised; first: "Error from server (NotFound): pods "cilium-x7k2p" not found"',
    );
    expect(() => parseMonitorDrops('(monitor failed: exec in kube-system/cilium-x: no answer within 120 s)')).toThrow(/none of 1 line\(s\) recognised; first: "\(monitor failed/);
    expect(() => parseMonitorDrops('\u0000\u0001\u00ff\u0002ELF\u0007')).toThrow(/first: "\?\?.\?ELF\?"/);
  });

  test('a truncated drop line alone is an error; among good lines it is a counted skip', () => {
    const truncated = 'xx drop (Policy denied (L3)) flo';
    expect(() => parseMonitorDrops(truncated)).toThrow(UnrecognisedInput);
    const lines = parseSample('cilium-monitor-drops-issue5496.txt');
    const { records, skipped } = parseMonitorDrops(`${lines}${truncated}\n`);
    expect(records).toHaveLength(9);
    expect(skipped).toEqual({ count: 1, first: truncated });
  });

  test('the ancient `Packet dropped` notification is not silently taken for a trace line', () => {
    const ancient = 'CPU 00: MARK 0x14126c56 FROM 56326 Packet dropped 159 (Policy denied (L4)) 94 bytes ifindex=18';
    expect(() => parseMonitorDrops(ancient)).toThrow(UnrecognisedInput);
  });

  test('a port that is not a number is an error, not NaN', () => {
    expect(() => parseMonitorDrops('xx drop (Policy denied) flow 0x0 to endpoint 0, identity 2->3: 10.0.0.1:http -> 10.0.0.2:53 udp')).toThrow(
      'source port: "http" is not a whole number',
    );
  });
});

describe('cilium-dbg monitor 1.20 on this machine', () => {
  test('its log line before the drops is known, not a skipped line', () => {
    // First lines of the capture on the bpf run here (Cilium 1.20.2, 2026-12-02): the
    // banner on stderr, then the agent's own log line, kept with `2>&1`.
    const head = [
      'Listening for events on 2 CPUs with 64x4096 of shared memory',
      'Press Ctrl-C to quit',
      'time=2026-12-02T16:11:11.44168892Z level=info msg="Initializing dissection cache..."',
    ].join('\n');
    expect(parseMonitorDrops(head)).toEqual({ records: [], skipped: { count: 0 } });
  });
});
