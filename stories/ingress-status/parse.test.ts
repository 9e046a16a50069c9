import { describe, expect, test } from 'vitest';
import { parseAge, parseIngressWatch, parseStatusUpdates, writersByAddress } from './parse.ts';
import { UnrecognisedInput } from '../../harness/parse/result.ts';
import { recordedBeside } from '../../harness/recorded.ts';

// Every file read here is real output; data/README.md names each one's source.
const recorded = recordedBeside(import.meta.url);
const lines = (name: string) => recorded(name).split('\n').filter((l) => l !== '');

const TWO = 'two/ingress-ingress-nginx-controller-5db5984d7d-vljth';
const THREE = 'three/ingress-ingress-nginx-controller-58b79c576b-94v8d';

describe('parseIngressWatch', () => {
  test('seed 001 -w without NAMESPACE column takes the given namespace; t is the AGE', () => {
    const { records, skipped } = parseIngressWatch(recorded('kubectl-watch-ingress-one-seed001.txt'), { namespace: 'one' });
    expect(skipped).toEqual({ count: 0 });
    expect(records).toHaveLength(8);
    expect(records[0]).toEqual({ t: 141 * 60_000, ingress: 'one/test', addresses: ['100.64.0.0'] });
    expect(records[7]).toEqual({ t: 144 * 60_000, ingress: 'one/test', addresses: ['172.18.0.2'] });
  });

  test('seed 001 -w -A: twelve events across three namespaces', () => {
    const { records, skipped } = parseIngressWatch(recorded('kubectl-watch-ingress-all-seed001.txt'));
    expect(skipped).toEqual({ count: 0 });
    expect(records.map((s) => `${s.ingress}=${s.addresses.join()}`)).toEqual([
      'one/test=172.18.0.2', 'three/test=172.18.0.2', 'two/test=172.18.0.2', 'one/test=100.64.0.0',
      'three/test=100.64.0.2', 'three/test=172.18.0.2', 'one/test=172.18.0.2', 'one/test=100.64.0.0',
      'three/test=100.64.0.2', 'one/test=172.18.0.2', 'three/test=172.18.0.2', 'one/test=100.64.0.0',
    ]);
  });

  test('seed 001 stern session: header-less -A watch lines among log lines; the log lines are counted', () => {
    const { records, skipped } = parseIngressWatch(recorded('stern-ingress-nginx-seed001.txt'), { allNamespaces: true });
    expect(records).toEqual([
      { t: 174 * 60_000, ingress: 'three/test', addresses: ['100.64.0.2'] },
      { t: 174 * 60_000, ingress: 'three/test', addresses: ['172.18.0.2'] },
    ]);
    expect(skipped).toEqual({ count: 5, first: lines('stern-ingress-nginx-seed001.txt')[0] });
  });

  test('seed 001 -A rows without their header and without allNamespaces: an error, not rows in the wrong columns', () => {
    const rows = lines('kubectl-watch-ingress-all-seed001.txt').slice(1).join('\n');
    expect(() => parseIngressWatch(rows)).toThrow(UnrecognisedInput);
    expect(parseIngressWatch(rows, { allNamespaces: true }).records).toHaveLength(12);
  });

  describe('kubectl before 1.19: no CLASS column', () => {
    test('ingress-nginx troubleshooting docs: the header places ADDRESS', () => {
      expect(parseIngressWatch(recorded('kubectl-get-ingress-noclass-troubleshooting.txt'), { namespace: 'default' })).toEqual({
        records: [{ t: 25_000, ingress: 'default/cafe-ingress', addresses: ['10.0.2.15'] }],
        skipped: { count: 0 },
      });
    });

    const issue3033 = [
      { t: 28 * 86_400_000, ingress: 'k8s-toolbox-ingress', addresses: ['172.22.246.1'] },
      { t: 26 * 86_400_000, ingress: 'kube-opsview-ingress', addresses: ['172.22.246.1'] },
      { t: 39 * 86_400_000, ingress: 'kubernetes-dashboard-ingress', addresses: ['172.22.246.1'] },
      { t: 39 * 60_000, ingress: 'pi-ingress', addresses: [] },
    ];

    test('ingress-nginx#3033: several HOSTS, "80, 443", an empty ADDRESS', () => {
      expect(parseIngressWatch(recorded('kubectl-get-ingress-noclass-issue3033.txt'))).toEqual({ records: issue3033, skipped: { count: 0 } });
    });

    test('the same rows without the header (--no-headers): the column count decides', () => {
      const rows = lines('kubectl-get-ingress-noclass-issue3033.txt').slice(1);
      // Two cells (NAME HOSTS) only fit the layout without CLASS; the other rows follow it.
      expect(parseIngressWatch(rows.join('\n')).records).toEqual(issue3033);
      // Without that row every row has three cells; an IP is an ADDRESS, never an Ingress host.
      expect(parseIngressWatch(rows.slice(0, 3).join('\n')).records).toEqual(issue3033.slice(0, 3));
    });

    test('a hostname ADDRESS, columns not aligned under the header', () => {
      const text = recorded('kubectl-get-ingress-noclass-hostname.txt');
      expect(parseIngressWatch(text, { namespace: 'test' })).toEqual({
        records: [{ t: 93_000, ingress: 'test/dev-ingress', addresses: ['abc.us-east-1.elb.amazonaws.com'] }],
        skipped: { count: 0 },
      });
      // Without the header, NAME HOSTS ADDRESS and NAME CLASS HOSTS cannot be told apart: an error, not a guess.
      expect(() => parseIngressWatch(lines('kubectl-get-ingress-noclass-hostname.txt')[1] ?? '')).toThrow(/dev-ingress   dev\.abc\.info/);
    });
  });

  test('constructed rows: empty ADDRESS, several addresses and ports, shortened HOSTS; misfits are counted', () => {
    const { records, skipped } = parseIngressWatch([
      'NAME   CLASS   HOSTS   ADDRESS   PORTS   AGE',
      'web    nginx   a.test            80      5s',
      'web    nginx   a.test  100.64.0.1,172.18.0.2   80, 443   3m20s',
      'web    nginx   a,b,c,d + 2 more...   100.64.0.1   80   2d4h',
      'web    nginx   a.test  too many columns here 80 5s',
      'not a watch line',
    ].join('\n'));
    expect(records).toEqual([
      { t: 5000, ingress: 'web', addresses: [] },
      { t: 200_000, ingress: 'web', addresses: ['100.64.0.1', '172.18.0.2'] },
      { t: (2 * 24 + 4) * 3_600_000, ingress: 'web', addresses: ['100.64.0.1'] },
    ]);
    expect(skipped).toEqual({ count: 2, first: 'web    nginx   a.test  too many columns here 80 5s' });
  });

  test('empty input, a header alone and kubectl\'s empty-list message are empty results', () => {
    const empty = { records: [], skipped: { count: 0 } };
    expect(parseIngressWatch('')).toEqual(empty);
    expect(parseIngressWatch(`${lines('kubectl-watch-ingress-one-seed001.txt')[0]}\n`)).toEqual(empty);
    expect(parseIngressWatch('No resources found in one namespace.\n')).toEqual(empty);
  });

  test('garbage is an error quoting its first line; a truncated last row is counted', () => {
    expect(() => parseIngressWatch('The Ingress kept flipping between two addresses.')).toThrow(
      'kubectl get ingress output: none of 1 line(s) recognised; first: "The Ingress kept flipping between two addresses."',
    );
    expect(() => parseIngressWatch('Error from server (NotFound): namespaces "one" not found\n')).toThrow(/"Error from server \(NotFound\)/);
    expect(() => parseIngressWatch('\u0000\u0001\u0002\u0003ELF\u0002\u0001')).toThrow(/"\?\?\?\?ELF\?\?"/);
    const text = recorded('kubectl-watch-ingress-one-seed001.txt');
    const cut = text.slice(0, text.trimEnd().length - 10); // the capture stopped before the last AGE
    const { records, skipped } = parseIngressWatch(cut, { namespace: 'one' });
    expect(records).toHaveLength(7);
    expect(skipped).toEqual({ count: 1, first: 'test   <none>   *       172.18.0.2   80' });
  });

  test('an AGE too large for a number is an error, not a skipped row', () => {
    expect(() => parseIngressWatch('web   <none>   *   80   99999999999999999999y')).toThrow(/AGE: .* out of range/);
  });
});

test('parseAge reads kubectl durations; anything else is an error naming it', () => {
  expect(parseAge('141m')).toBe(141 * 60_000);
  expect(parseAge('5h3m')).toBe(5 * 3_600_000 + 3 * 60_000);
  expect(parseAge('1y20d')).toBe(385 * 86_400_000);
  expect(() => parseAge('80')).toThrow('AGE: "80" is not a kubectl duration');
  expect(() => parseAge('<none>')).toThrow('AGE: "<none>" is not a kubectl duration');
  expect(() => parseAge('')).toThrow('is not a kubectl duration');
});

describe('parseStatusUpdates', () => {
  test('seed 001 kubectl logs (printf from/to, klog headers cut off): one update, writer given by the caller', () => {
    const { records, skipped } = parseStatusUpdates(recorded('ingress-nginx-logs-one-seed001.txt'), { writer: 'one/controller' });
    expect(skipped).toEqual({ count: 0 });
    expect(records).toEqual([{
      writer: 'one/controller', ingress: 'one/test', from: ['172.18.0.2'], to: ['100.64.0.0'],
      raw: 'status.go:275] updating Ingress one/test status from [{172.18.0.2 }] to [{100.64.0.0 }]',
    }]);
    expect(parseStatusUpdates(recorded('ingress-nginx-logs-one-seed001.txt')).records[0]?.writer).toBeUndefined();
  });

  test('seed 001 stern -A (namespace pod container): writers from the prefix; watch rows and the garbled line are counted', () => {
    const { records, skipped } = parseStatusUpdates(recorded('stern-ingress-nginx-seed001.txt'));
    expect(records.map((u) => [u.writer, u.ingress, u.from?.join(), u.to.join()])).toEqual([
      [THREE, 'three/test', '172.18.0.2', '100.64.0.2'],
      [TWO, 'one/test', '100.64.0.0', '172.18.0.2'],
      [TWO, 'three/test', '100.64.0.2', '172.18.0.2'],
    ]);
    // Two `kubectl get ingress -w` rows and the line where two pods' prefixes ran together.
    expect(skipped).toEqual({ count: 3, first: 'three       test   <none>   *       100.64.0.2   80      174m' });
  });

  test('seed 001: the node IP was written by the controller in namespace two only', () => {
    const byAddress = writersByAddress(parseStatusUpdates(recorded('stern-ingress-nginx-seed001.txt')).records);
    expect(byAddress.get('three/test')).toEqual(new Map([['100.64.0.2', [THREE]], ['172.18.0.2', [TWO]]]));
    expect(byAddress.get('one/test')).toEqual(new Map([['172.18.0.2', [TWO]]]));
  });

  describe('0.x printf forms', () => {
    test('ingress-nginx#572 (0.9.0-beta.3): `status to [...]` logs no previous value', () => {
      expect(parseStatusUpdates(recorded('ingress-nginx-logs-status-to-issue572.txt'))).toEqual({
        records: [{ ingress: 'sfdemo-ingress-config-ssl-use-front-wildcard/webtest', to: ['xx.yy.zz.xx'], raw: lines('ingress-nginx-logs-status-to-issue572.txt')[0] }],
        skipped: { count: 0 },
      });
    });

    test('0.26.1 `status from [] to [...]` in a whole log: banner, klog and access lines are known, not counted', () => {
      const { records, skipped } = parseStatusUpdates(recorded('ingress-nginx-logs-from-to-krew-guide.txt'));
      expect(records.map(({ ingress, from, to }) => ({ ingress, from, to }))).toEqual([{ ingress: 'default/meow-ingress', from: [], to: ['192.168.39.143'] }]);
      expect(skipped).toEqual({ count: 0 });
    });

    test('a hostname value `[{ lb.example.com}]`, and access lines of the PROXY-protocol form', () => {
      const { records, skipped } = parseStatusUpdates(recorded('ingress-nginx-logs-from-to-hostname.txt'));
      expect(records.map(({ ingress, from, to }) => ({ ingress, from, to }))).toEqual([{ ingress: 'test/dev-ingress', from: [], to: ['abc.us-east-1.elb.amazonaws.com'] }]);
      expect(skipped).toEqual({ count: 0 });
    });
  });

  describe('≥ 1.0 structured form', () => {
    test('v1.10.1 log, JSON values, `currentValue=null`', () => {
      const { records, skipped } = parseStatusUpdates(recorded('ingress-nginx-logs-structured-v1.10.txt'), { writer: 'one' });
      expect(records.map(({ writer, ingress, from, to }) => ({ writer, ingress, from, to }))).toEqual([
        { writer: 'one', ingress: 'default/minimal-ingress', from: [], to: ['192.168.49.2'] },
      ]);
      expect(skipped).toEqual({ count: 0 });
    });

    test('v1.1 logs, values in Go %+v: `[{IP:172.16.30.6 Hostname: Ports:[]}]`, `[{IP: Hostname:localhost Ports:[]}]`', () => {
      const ip = parseStatusUpdates(recorded('ingress-nginx-logs-structured-goformat-ip.txt'));
      expect(ip.records.map(({ ingress, from, to }) => ({ ingress, from, to }))).toEqual([{ ingress: 'default/example-ingress', from: [], to: ['172.16.30.6'] }]);
      expect(ip.skipped).toEqual({ count: 0 });
      const hostname = parseStatusUpdates(recorded('ingress-nginx-logs-structured-goformat-hostname.txt'));
      expect(hostname.records.map((u) => u.to)).toEqual([['localhost']]);
    });

    test('a controller log without an update (v1.1.0 start-up) is understood: no records, nothing skipped', () => {
      expect(parseStatusUpdates(recorded('ingress-nginx-logs-startup-v1.1.0.txt'))).toEqual({ records: [], skipped: { count: 0 } });
    });
  });

  describe('log-tailer and kubectl prefixes', () => {
    test('ingress-nginx#10972: `pod container` prefix (two words) names the pod; several addresses each side', () => {
      const text = `${recorded('stern-ingress-nginx-issue10972.txt')}${recorded('stern-ingress-nginx-issue10972-comment.txt')}`;
      const { records, skipped } = parseStatusUpdates(text);
      expect(skipped).toEqual({ count: 0 });
      expect(records.map(({ writer, ingress, from, to }) => ({ writer, ingress, from, to }))).toEqual([
        {
          writer: 'ingress-nginx-controller-84dd99f964-g9plj', ingress: 'pctv-branch-tcloud/pctv-ingress',
          from: ['10.28.124.184', '10.28.85.49', '10.28.98.203'], to: ['10.28.111.198', '10.28.121.243', '10.28.88.240'],
        },
        {
          writer: 'ingress-nginx-controller-8db75dfcd-vpd2f', ingress: 'p-pl8zv-observability/tcloud-prometheus-alertmanager',
          from: ['10.28.110.155', '10.28.124.184'], to: ['10.28.111.198', '10.28.121.243', '10.28.88.240'],
        },
      ]);
      expect(writersByAddress(records).get('pctv-branch-tcloud/pctv-ingress')).toEqual(
        new Map([['10.28.111.198,10.28.121.243,10.28.88.240', ['ingress-nginx-controller-84dd99f964-g9plj']]]),
      );
    });

    test('geerlingguy/ansible-for-kubernetes#75: `kubectl logs --prefix` lines are read through the prefix', () => {
      // NGINX access lines: known, so the log is understood and holds no update.
      expect(parseStatusUpdates(recorded('kubectl-logs-prefix-issue75.txt'))).toEqual({ records: [], skipped: { count: 0 } });
    });

    // No real `kubectl logs --prefix` / `--timestamps` capture of an update line was found, nor
    // any ingress-nginx line re-emitted logrus-style. These inputs are composed from real parts:
    // the prefix of #75 (kubectl prepends `[pod/<pod>/<container>] `), the RFC3339 time the
    // kubelet prepends for --timestamps (here the klog time of the line, year from the access
    // lines beside it), and logfmt quoting of a real message. Composed, not recorded.
    const krewUpdate = lines('ingress-nginx-logs-from-to-krew-guide.txt').find((l) => l.includes('updating Ingress')) ?? '';
    const prefix = lines('kubectl-logs-prefix-issue75.txt')[0]?.split(' ')[0] ?? '';

    test('composed: --prefix names the pod, --timestamps is read past, alone or together', () => {
      const stamp = '2020-01-01T19:54:05.262515000Z';
      const expected = { ingress: 'default/meow-ingress', from: [], to: ['192.168.39.143'] };
      for (const [line, writer] of [
        [`${prefix} ${krewUpdate}`, 'pod/echo-req-7cfd7bf68f-nk5kr'],
        [`${stamp} ${krewUpdate}`, undefined],
        [`${prefix} ${stamp} ${krewUpdate}`, 'pod/echo-req-7cfd7bf68f-nk5kr'],
        [`meow-pod controller ${stamp} ${krewUpdate}`, 'meow-pod'],
      ] as const) {
        const { records, skipped } = parseStatusUpdates(line);
        expect(skipped).toEqual({ count: 0 });
        expect(records.map(({ writer: w, ingress, from, to }) => ({ writer: w, ingress, from, to }))).toEqual([{ writer, ...expected }]);
      }
    });

    test('composed: logrus/logfmt `msg="…"` quoting of the printf and the structured message', () => {
      const message = krewUpdate.slice(krewUpdate.indexOf('updating Ingress'));
      const printf = parseStatusUpdates(`time="2020-01-01T19:54:05Z" level=info msg=${JSON.stringify(message)}`);
      expect(printf.records.map(({ ingress, from, to }) => ({ ingress, from, to }))).toEqual([{ ingress: 'default/meow-ingress', from: [], to: ['192.168.39.143'] }]);
      const structured = parseStatusUpdates('level=info msg="updating Ingress status" namespace=default ingress=minimal-ingress currentValue=null newValue="[{\\"ip\\":\\"192.168.49.2\\"}]"');
      expect(structured.records.map(({ ingress, from, to }) => ({ ingress, from, to }))).toEqual([{ ingress: 'default/minimal-ingress', from: [], to: ['192.168.49.2'] }]);
      expect(parseStatusUpdates('time="2021-07-28T20:40:41Z" level=info msg="successfully updated networkingv1 Ingress status"')).toEqual({ records: [], skipped: { count: 0 } });
    });
  });

  describe('garbage', () => {
    test('prose, a kubectl error and binary bytes are errors quoting the first line', () => {
      expect(() => parseStatusUpdates('The controller in namespace two keeps writing its node IP.')).toThrow(
        'ingress-nginx controller log: none of 1 line(s) recognised; first: "The controller in namespace two keeps writing its node IP."',
      );
      expect(() => parseStatusUpdates('Error from server (NotFound): pods "ingress-nginx-controller-5db5984d7d-vljth" not found\n')).toThrow(UnrecognisedInput);
      expect(() => parseStatusUpdates('\u007fELF\u0002\u0001\u0001\u0000\u0000')).toThrow(/first: "\?ELF\?\?\?\?\?"/);
    });

    test('a truncated update line is counted, never read as the shorter value; alone it is an error', () => {
      const whole = lines('stern-ingress-nginx-issue10972.txt')[0] ?? '';
      const cut = whole.slice(0, whole.indexOf('newValue=') + 30); // the capture stopped mid-line
      const { records, skipped } = parseStatusUpdates(`${recorded('stern-ingress-nginx-issue10972-comment.txt')}${cut}\n`);
      expect(records.map((u) => u.ingress)).toEqual(['p-pl8zv-observability/tcloud-prometheus-alertmanager']);
      expect(skipped.count).toBe(1);
      expect(skipped.first).toMatch(/^ingress-nginx-controller-84dd99f964-g9plj controller I0206 11:14:33\.918571 .*…$/);
      expect(() => parseStatusUpdates(cut)).toThrow(UnrecognisedInput);
    });

    test('empty input is an empty result', () => {
      expect(parseStatusUpdates('')).toEqual({ records: [], skipped: { count: 0 } });
    });
  });

  test('an update without a writer is attributed to "unknown"', () => {
    expect(writersByAddress([{ ingress: 'a/b', from: [], to: ['x'], raw: '' }]).get('a/b')?.get('x')).toEqual(['unknown']);
  });
});
