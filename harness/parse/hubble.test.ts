import { describe, expect, test } from 'vitest';
import { parseHubbleFlows } from './hubble.ts';
import { parseSample } from './samples.ts';

describe('parseHubbleFlows', () => {
  const flows = parseHubbleFlows(parseSample('hubble-flows-schema.jsonl'));

  test('keeps flows, wrapped or bare, and skips node_status and lost_events', () => {
    expect(flows.map((f) => f.verdict)).toEqual(['DROPPED', 'FORWARDED', 'FORWARDED', 'DROPPED', 'DROPPED']);
  });

  test('a stale-IP DNS drop from the nginx pod', () => {
    expect(flows[0]).toEqual({
      time: '2023-07-26T03:28:51.204113871Z', verdict: 'DROPPED', dropReason: 'STALE_OR_UNROUTABLE_IP',
      srcIp: '10.242.0.36', dstIp: '10.242.1.170', dstPort: 53, protocol: 'UDP',
      srcPod: 'ingress-nginx/ingress-nginx-controller-7c6974c4d8-x2v9q',
    });
  });

  test('pods on both ends, a bare flow, a policy drop, and ICMPv6 without ports', () => {
    expect(flows[1]).toMatchObject({ dstPod: 'kube-system/coredns-d9585599f-f9pxs', dstIp: '10.242.1.44' });
    expect(flows[1]?.dropReason).toBeUndefined();
    expect(flows[2]).toMatchObject({ protocol: 'TCP', dstPort: 8080, srcPod: 'load-test/load-test-1-6c857b5c9d-4vvbf', dstPod: 'backend/backend-1-64d7c5984b-9996q' });
    expect(flows[3]).toMatchObject({ dropReason: 'POLICY_DENIED', dstIp: '10.244.1.99' });
    expect(flows[4]).toEqual({
      time: '2023-07-26T03:28:55.318200012Z', verdict: 'DROPPED', dropReason: 'UNSUPPORTED_L3_PROTOCOL',
      srcIp: 'fe80::c85a:63ff:fe03:5b66', dstIp: 'ff02::2', protocol: 'ICMPv6',
    });
  });

  test('blank input gives nothing; a non-JSON line throws with its line number', () => {
    expect(parseHubbleFlows('\n\n')).toEqual([]);
    expect(parseHubbleFlows('{"flow":{}}\n[]\n"text"')).toEqual([]);
    expect(() => parseHubbleFlows('{"flow":{"verdict":"DROPPED"}}\n{"flow": trunc')).toThrow(/line 2 is not JSON/);
  });
});
