import { describe, expect, test } from 'vitest';
import { parseAge, parseIngressWatch, parseStatusUpdates, writersByAddress } from './parse.ts';
import { recordedBeside } from '../../harness/recorded.ts';

const recorded = recordedBeside(import.meta.url);

const TWO = 'two/ingress-ingress-nginx-controller-5db5984d7d-vljth';
const THREE = 'three/ingress-ingress-nginx-controller-58b79c576b-94v8d';

describe('parseIngressWatch', () => {
  test('seed 001 -w without NAMESPACE column takes the given namespace; t is the AGE', () => {
    const timeline = parseIngressWatch(recorded('kubectl-watch-ingress-one-seed001.txt'), { namespace: 'one' });
    expect(timeline).toHaveLength(8);
    expect(timeline[0]).toEqual({ t: 141 * 60_000, ingress: 'one/test', addresses: ['100.64.0.0'] });
    expect(timeline[7]).toEqual({ t: 144 * 60_000, ingress: 'one/test', addresses: ['172.18.0.2'] });
  });

  test('seed 001 -w -A: twelve events across three namespaces', () => {
    const timeline = parseIngressWatch(recorded('kubectl-watch-ingress-all-seed001.txt'));
    expect(timeline.map((s) => `${s.ingress}=${s.addresses.join()}`)).toEqual([
      'one/test=172.18.0.2', 'three/test=172.18.0.2', 'two/test=172.18.0.2', 'one/test=100.64.0.0',
      'three/test=100.64.0.2', 'three/test=172.18.0.2', 'one/test=172.18.0.2', 'one/test=100.64.0.0',
      'three/test=100.64.0.2', 'one/test=172.18.0.2', 'three/test=172.18.0.2', 'one/test=100.64.0.0',
    ]);
  });

  test('seed 001 stern session: watch lines among log lines, header-less -A', () => {
    const timeline = parseIngressWatch(recorded('stern-ingress-nginx-seed001.txt'), { allNamespaces: true });
    expect(timeline).toEqual([
      { t: 174 * 60_000, ingress: 'three/test', addresses: ['100.64.0.2'] },
      { t: 174 * 60_000, ingress: 'three/test', addresses: ['172.18.0.2'] },
    ]);
  });

  test('empty ADDRESS, several addresses, several ports, shortened HOSTS, no namespace', () => {
    const timeline = parseIngressWatch([
      'NAME   CLASS   HOSTS   ADDRESS   PORTS   AGE',
      'web    nginx   a.test            80      5s',
      'web    nginx   a.test  100.64.0.1,172.18.0.2   80, 443   3m20s',
      'web    nginx   a,b,c,d + 2 more...   100.64.0.1   80   2d4h',
      'web    nginx   a.test  too many columns here 80 5s',
      'not a watch line',
    ].join('\n'));
    expect(timeline).toEqual([
      { t: 5000, ingress: 'web', addresses: [] },
      { t: 200_000, ingress: 'web', addresses: ['100.64.0.1', '172.18.0.2'] },
      { t: (2 * 24 + 4) * 3_600_000, ingress: 'web', addresses: ['100.64.0.1'] },
    ]);
  });

  test('empty input', () => {
    expect(parseIngressWatch('')).toEqual([]);
  });
});

test('parseAge reads kubectl durations and rejects the rest', () => {
  expect(parseAge('141m')).toBe(141 * 60_000);
  expect(parseAge('5h3m')).toBe(5 * 3_600_000 + 3 * 60_000);
  expect(parseAge('1y20d')).toBe(385 * 86_400_000);
  expect(parseAge('80')).toBeUndefined();
  expect(parseAge('<none>')).toBeUndefined();
});

describe('parseStatusUpdates', () => {
  test('seed 001 kubectl logs (printf form): one update, writer given by the caller', () => {
    const updates = parseStatusUpdates(recorded('ingress-nginx-logs-one-seed001.txt'), { writer: 'one/controller' });
    expect(updates).toEqual([{
      writer: 'one/controller', ingress: 'one/test', from: ['172.18.0.2'], to: ['100.64.0.0'],
      raw: 'status.go:275] updating Ingress one/test status from [{172.18.0.2 }] to [{100.64.0.0 }]',
    }]);
    expect(parseStatusUpdates(recorded('ingress-nginx-logs-one-seed001.txt'))[0]?.writer).toBeUndefined();
  });

  test('seed 001 stern: writers come from the prefix; the garbled line is skipped', () => {
    const updates = parseStatusUpdates(recorded('stern-ingress-nginx-seed001.txt'));
    expect(updates.map((u) => [u.writer, u.ingress, u.from.join(), u.to.join()])).toEqual([
      [THREE, 'three/test', '172.18.0.2', '100.64.0.2'],
      [TWO, 'one/test', '100.64.0.0', '172.18.0.2'],
      [TWO, 'three/test', '100.64.0.2', '172.18.0.2'],
    ]);
  });

  test('seed 001: the node IP was written by the controller in namespace two only', () => {
    const byAddress = writersByAddress(parseStatusUpdates(recorded('stern-ingress-nginx-seed001.txt')));
    expect(byAddress.get('three/test')).toEqual(new Map([['100.64.0.2', [THREE]], ['172.18.0.2', [TWO]]]));
    expect(byAddress.get('one/test')).toEqual(new Map([['172.18.0.2', [TWO]]]));
  });

  test('ingress-nginx ≥ 1.0 structured form: JSON values, null current value, hostnames', () => {
    const updates = parseStatusUpdates(recorded('ingress-nginx-logs-structured-format.txt'), { writer: 'one/controller' });
    expect(updates.map((u) => [u.ingress, u.from, u.to])).toEqual([
      ['one/test', ['172.18.0.2'], ['100.64.0.0']],
      ['three/test', [], ['100.64.0.2', 'three.example.test']],
    ]);
  });

  test('kubectl logs --prefix names the pod; Go %v with a Ports field and a hostname', () => {
    const [u] = parseStatusUpdates(
      '[pod/ctrl-abc/controller] I0613 10:00:00.000001       7 status.go:275] updating Ingress a/b status from [{100.64.0.9  []}] to [{ lb.example.test []} {172.18.0.3  []}]',
    );
    expect(u).toMatchObject({ writer: 'pod/ctrl-abc', ingress: 'a/b', from: ['100.64.0.9'], to: ['lb.example.test', '172.18.0.3'] });
    expect(writersByAddress([{ ingress: 'a/b', from: [], to: ['x'], raw: '' }]).get('a/b')?.get('x')).toEqual(['unknown']);
  });

  test('empty and unrelated lines give nothing', () => {
    expect(parseStatusUpdates('')).toEqual([]);
    expect(parseStatusUpdates('I0613 event.go:278] Event(...) Ingress one/test\nupdating Ingress status')).toEqual([]);
  });
});
