import { describe, expect, test } from 'vitest';
import { parseHubbleFlows } from './hubble.ts';
import { UnrecognisedInput } from './result.ts';
import { parseSample } from './samples.ts';

const flows = (name: string) => parseHubbleFlows(parseSample(name));

describe('parseHubbleFlows, JSON', () => {
  test('Hubble exporter lines (field-masked GetFlowsResponse): an ICMPv6 drop and a policy drop between pods', () => {
    const { records, skipped } = flows('hubble-export-fieldmask-docs.jsonl');
    expect(skipped).toEqual({ count: 0 });
    expect(records).toEqual([
      {
        time: '2023-08-21T12:12:13.517394084Z', verdict: 'DROPPED', dropReason: 'INVALID_SOURCE_IP',
        srcIp: 'fe80::64d8:8aff:fe72:fc14', dstIp: 'ff02::2', protocol: 'ICMPv6', node: 'kind-kind/kind-worker',
      },
      {
        time: '2023-08-21T12:12:18.510175415Z', verdict: 'DROPPED', dropReason: 'POLICY_DENIED',
        srcIp: '10.244.1.60', dstIp: '10.244.1.5', protocol: 'TCP', srcPort: 44916, dstPort: 80,
        srcPod: 'default/xwing', dstPod: 'default/deathstar-7848d6c4d5-th9v2', node: 'kind-kind/kind-worker',
      },
    ]);
  });

  test('non-flow responses are recognised, not skipped', () => {
    // The jsonpb line cilium's printer test expects for a lost-events response
    // (hubble/pkg/printer/printer_test.go); there is no captured one in data/.
    const lost = '{"lost_events":{"source":"HUBBLE_RING_BUFFER","num_events_lost":"1","cpu":5}}';
    const { records, skipped } = parseHubbleFlows(`${parseSample('hubble-export-fieldmask-docs.jsonl')}${lost}\n`);
    expect(records).toHaveLength(2);
    expect(skipped).toEqual({ count: 0 });
    expect(parseHubbleFlows(lost)).toEqual({ records: [], skipped: { count: 0 } });
  });

  test('garbage JSON throws with its line number; JSON that is not a flow is an error or a counted skip', () => {
    const good = parseSample('hubble-export-fieldmask-docs.jsonl').split('\n')[0] ?? '';
    expect(() => parseHubbleFlows(`${good}\n{"flow": trunc`)).toThrow(/line 2 is not JSON/);
    expect(() => parseHubbleFlows('{"flow":{}}\n[]\n"text"')).toThrow(UnrecognisedInput);
    expect(parseHubbleFlows(`${good}\n{"flow":{}}`).skipped).toEqual({ count: 1, first: '{"flow":{}}' });
  });

  test('a port that is not a whole number is an error', () => {
    const bad = (parseSample('hubble-export-fieldmask-docs.jsonl').split('\n')[1] ?? '').replace('"destination_port":80', '"destination_port":"http"');
    expect(() => parseHubbleFlows(bad)).toThrow('line 1: l4.TCP.destination_port: "http" is not a whole number');
  });
});

describe('parseHubbleFlows, default text output (-o compact)', () => {
  test('Cilium docs: `->`, `<-` (a reply: source and destination swap), `<>`; L7 drops carry no drop reason', () => {
    const { records, skipped } = flows('hubble-observe-compact-docs.txt');
    expect(skipped).toEqual({ count: 0 });
    expect(records.map((f) => f.verdict)).toEqual(['FORWARDED', 'FORWARDED', 'DROPPED', 'DROPPED', 'DROPPED', 'DROPPED', 'DROPPED']);
    expect(records[1]).toEqual({
      time: 'May  4 13:23:40.502', verdict: 'FORWARDED', type: 'http-response',
      srcPod: 'default/deathstar-c74d84667-cx5kp', srcPort: 80, dstPod: 'default/tiefighter', dstPort: 42690,
      summary: 'HTTP/1.1 200 0ms (POST http://deathstar.default.svc.cluster.local/v1/request-landing)',
    });
    expect(records[2]).toMatchObject({ verdict: 'DROPPED', type: 'http-request', summary: 'HTTP/1.1 PUT http://deathstar.default.svc.cluster.local/v1/exhaust-port' });
    expect(records[2]?.dropReason).toBeUndefined();
    expect(records[4]).toEqual({
      time: 'May  4 13:23:47.852', verdict: 'DROPPED', type: 'Policy denied', dropReason: 'Policy denied',
      srcPod: 'default/xwing', srcPort: 42818, dstPod: 'default/deathstar-c74d84667-cx5kp', dstPort: 80, summary: 'TCP Flags: SYN',
    });
  });

  test('identities `(ID:n)` / `(world)`, DNS to CoreDNS to-endpoint FORWARDED (UDP), translations and policy verdicts', () => {
    const { records, skipped } = flows('hubble-observe-compact-ids-hoot.txt');
    expect(skipped).toEqual({ count: 0 });
    expect(records).toHaveLength(15);
    expect(records[1]).toEqual({
      time: 'Jun  9 20:38:30.645', verdict: 'FORWARDED', type: 'to-endpoint', summary: 'UDP',
      srcPod: 'kube-system/coredns-565d847f94-wq69m', srcPort: 53, srcIdentity: 'ID:37585',
      dstPod: 'default/sleep-6d68f49858-7ppbf', dstPort: 43145, dstIdentity: 'ID:43148',
    });
    expect(records[3]).toMatchObject({ verdict: 'TRANSLATED', srcPod: 'kube-system/kube-dns', srcIdentity: 'world', type: 'post-xlate-rev' });
    expect(records[3]?.dstPort).toBeUndefined();
    expect(records[7]).toMatchObject({ verdict: 'DENIED', type: 'policy-verdict:none INGRESS', dstPort: 80 });
    expect(records[7]?.dropReason).toBeUndefined();
    expect(records.filter((f) => f.verdict === 'DROPPED').map((f) => f.dropReason)).toEqual(Array(4).fill('Policy denied'));
  });

  test('`hubble observe --verdict DROPPED`: bare IPv6 addresses, `(unknown)`, a drop reason other than policy', () => {
    const { records, skipped } = flows('hubble-observe-dropped-csm.txt');
    expect(skipped).toEqual({ count: 0 });
    expect(records[0]).toEqual({
      time: 'Aug  7 21:40:47.320', verdict: 'DROPPED', type: 'Unsupported L3 protocol', dropReason: 'Unsupported L3 protocol',
      srcIp: 'fe80::a0ec:7cff:fe45:72b', srcIdentity: 'ID:32748', dstIp: 'ff02::2', dstIdentity: 'unknown', summary: 'ICMPv6 RouterSolicitation',
    });
    expect(records[1]).toMatchObject({ srcPod: 'sysmgmt-health/vmagent-vms-0-6cbf9d467c-49nxn', dstPod: 'dvs/cray-dvs-mqtt-ss-1', dstPort: 15020, dropReason: 'Policy denied' });
  });

  test('older CLI: the node in brackets and the service name after the port, `53(domain)`', () => {
    const { records, skipped } = flows('hubble-observe-compact-node-issue180.txt');
    expect(skipped).toEqual({ count: 0 });
    expect(records[0]).toEqual({
      time: 'May 14 22:45:49.857', node: 'minikube', verdict: 'FORWARDED', type: 'dns-request', summary: 'DNS Query google.com. AAAA',
      srcPod: 'kube-system/hubble-gnjtk', srcPort: 34850, dstPod: 'kube-system/coredns-66bff467f8-tzfv9', dstPort: 53,
    });
    expect(records[2]).toMatchObject({ srcPort: 53, dstPort: 34850, summary: 'DNS Answer "172.217.0.46" TTL: 30 (Query google.com. A)' });
  });

  test('the table form of older CLIs (Cilium troubleshooting docs)', () => {
    const { records, skipped } = flows('hubble-observe-table-docs.txt');
    expect(skipped).toEqual({ count: 0 });
    expect(records).toHaveLength(13);
    expect(records[0]).toEqual({
      time: 'Jun  2 11:14:46.041', verdict: 'FORWARDED', type: 'to-endpoint', summary: 'UDP',
      srcPod: 'default/tiefighter', srcPort: 38314, dstPod: 'kube-system/coredns-66bff467f8-ktk8c', dstPort: 53,
    });
    expect(records[6]).toMatchObject({ srcPort: 80, dstPort: 57746, summary: 'TCP Flags: SYN, ACK' });
  });
});

describe('parseHubbleFlows, empty and garbage input', () => {
  test('blank input is an empty result', () => {
    expect(parseHubbleFlows('')).toEqual({ records: [], skipped: { count: 0 } });
    expect(parseHubbleFlows('\n\n')).toEqual({ records: [], skipped: { count: 0 } });
  });

  test('prose, a kubectl error, binary bytes: UnrecognisedInput quoting the first line', () => {
    expect(() => parseHubbleFlows('Hubble is not running on this node.\nCheck cilium status.')).toThrow(UnrecognisedInput);
    expect(() => parseHubbleFlows('Error from server (NotFound): pods "cilium-x7k2p" not found')).toThrow(
      'hubble observe output: none of 1 line(s) recognised; first: "Error from server (NotFound): pods "cilium-x7k2p" not found"',
    );
    expect(() => parseHubbleFlows('\u0000\u0001\u0002\u0003')).toThrow(/first: "\?\?\?\?"/);
  });

  test('a truncated text line alone is an error; among good lines it is a counted skip', () => {
    const lines = parseSample('hubble-observe-dropped-csm.txt');
    const truncated = (lines.split('\n')[1] ?? '').slice(0, 90);
    expect(() => parseHubbleFlows(truncated)).toThrow(UnrecognisedInput);
    const { records, skipped } = parseHubbleFlows(`${lines}${truncated}\n`);
    expect(records).toHaveLength(4);
    expect(skipped).toEqual({ count: 1, first: truncated });
  });
});
