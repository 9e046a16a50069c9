import { describe, expect, test } from 'vitest';
import { classifyAuthUrl, countResolverTimeouts, healedAfterReload, NGINX_RESOLVER_TIMEOUT_SECONDS, PROBE_TIMEOUT_MS, type ProbeSample } from './classify.ts';
import { parseProcNetUdp, staleDnsSockets } from '../../harness/parse/proc-net-udp.ts';
import { parseSample } from '../../harness/parse/samples.ts';
import { recordedBeside } from '../../harness/recorded.ts';

const recorded = recordedBeside(import.meta.url);

/** Status codes per "Testing endpoint ..." section of seed 000's test-ingress.sh output. */
function sections(text: string): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  let current: number[] = [];
  for (const line of text.split('\n')) {
    const header = /^Testing endpoint (.+?)\.\.$/.exec(line);
    if (header) out[header[1] ?? ''] = current = [];
    const code = /^Attempt: \d+ Status Code: (\d+)/.exec(line);
    if (code) current.push(Number(code[1]));
  }
  return out;
}

const bpf = sections(recorded('test-ingress-bpf-seed000.txt'));
const kubeProxy = sections(recorded('test-ingress-kube-proxy-seed000.txt'));
// The recorded resolver sockets, judged against seed 000's endpoints after the rollout.
const staleSockets = staleDnsSockets(parseProcNetUdp(parseSample('proc-net-udp-resolver-pod.txt')).records, ['10.242.1.44', '10.242.2.87'], { clusterIp: '10.96.0.10' }).length;

/** A 90 s probe at 2 req/s, t = 0 when the old CoreDNS pods are gone. */
function probe(statusAt: (t: number) => number): ProbeSample[] {
  return Array.from({ length: 180 }, (_, i) => ({ t: i * 500, status: statusAt(i * 500) }));
}

describe('seed 000 recordings', () => {
  test('the sections hold the codes of the write-up', () => {
    expect(bpf['after coredns restart']).toEqual([200, 200, 200, 200, 200, 500, 500, 500, 500, 500]);
    expect(bpf['after NGINX reload']).toEqual([500, 200, 200, 200, 200, 200, 200, 200, 200, 200]);
    expect(kubeProxy['after coredns restart']).toEqual(Array(10).fill(200));
  });

  test('ten probes never reach past the 30 s cache window: inconclusive, too few samples', () => {
    const samples = (bpf['after coredns restart'] ?? []).map((status, i) => ({ t: i * 2000, status }));
    const c = classifyAuthUrl({ samples, staleSockets });
    expect(c.outcome).toBe('inconclusive');
    expect(c.reason).toMatch(/only 0 responses after the 30 s cache window/);
    expect(c.figures.firstNon2xxAtMs).toBe('none');
  });

  test('healedAfterReload: yes after the reload (one 500, then nine 200), no right after the restart', () => {
    expect(healedAfterReload(bpf['after NGINX reload'] ?? [])).toBe(true);
    expect(healedAfterReload(bpf['after coredns restart'] ?? [])).toBe(false);
    expect(healedAfterReload(kubeProxy['after NGINX reload'] ?? [])).toBe(true);
  });
});

describe('classifyAuthUrl', () => {
  test('recorded stale sockets: 3 (two to 10.242.1.170, one to 10.242.2.84)', () => {
    expect(staleSockets).toBe(3);
  });

  test('500s once the cache expires plus stale sockets: affected', () => {
    const c = classifyAuthUrl({ samples: probe((t) => (t < 30_000 ? 200 : 500)), staleSockets });
    expect(c.outcome).toBe('affected');
    expect(c.figures).toMatchObject({ samplesAfterWindow: 120, non2xx: 120, status500: 120, codes: '500:120', share2xx: 0, staleSockets: 3, firstNon2xxAtMs: 30_000 });
  });

  test('the same 500s without a stale socket: inconclusive, something else is failing', () => {
    const c = classifyAuthUrl({ samples: probe((t) => (t < 30_000 ? 200 : 500)), staleSockets: 0 });
    expect(c.outcome).toBe('inconclusive');
    expect(c.reason).toMatch(/no stale resolver socket/);
  });

  test('kube-proxy pattern, all 200: healthy', () => {
    const c = classifyAuthUrl({ samples: probe(() => 200), staleSockets: 0 });
    expect(c).toMatchObject({ outcome: 'healthy', figures: { share2xx: 1 } });
  });

  test('thresholds: exactly 95% 2xx is healthy, 94% is not; >50% failures needed for affected', () => {
    const at = (bad: number) => probe((t) => (t >= 30_000 && (t - 30_000) / 500 < bad ? 500 : 200));
    expect(classifyAuthUrl({ samples: at(6), staleSockets }).outcome).toBe('healthy'); // 114/120 = 95%
    expect(classifyAuthUrl({ samples: at(8), staleSockets }).outcome).toBe('inconclusive');
    expect(classifyAuthUrl({ samples: at(60), staleSockets }).outcome).toBe('inconclusive'); // exactly half
    expect(classifyAuthUrl({ samples: at(61), staleSockets }).outcome).toBe('affected');
  });

  test('requests with no HTTP answer are not the 500s the story looks for: inconclusive, saying so', () => {
    const hanging = classifyAuthUrl({ samples: probe((t) => (t < 10_000 ? 200 : 0)), staleSockets });
    expect(hanging).toMatchObject({ outcome: 'inconclusive', figures: { samplesAfterWindow: 120, codes: 'no-answer:120' } });
    expect(hanging.reason).toMatch(/120 of 120 requests got no HTTP answer at all: nginx's 500 after its 30 s resolver timeout never came/);
  });

  test('a custom cache window moves the cut', () => {
    expect(classifyAuthUrl({ samples: probe((t) => (t < 10_000 ? 200 : 500)), staleSockets, cacheWindowMs: 10_000 }).figures).toMatchObject({ samplesAfterWindow: 160, status500: 160 });
    expect(classifyAuthUrl({ samples: probe((t) => (t < 10_000 ? 200 : 500)), staleSockets, cacheWindowMs: 10_000 }).outcome).toBe('affected');
  });

  test('the probe outlasts nginx resolver timeout, and the resolver lines of its error log are counted', () => {
    expect(PROBE_TIMEOUT_MS).toBeGreaterThan(NGINX_RESOLVER_TIMEOUT_SECONDS * 1000);
    // Lines in nginx's error-log format (ngx_resolver.c: "%V could not be resolved (%i: %s)").
    const log = [
      '2026/12/02 15:00:01 [error] 23#23: *41 app.ns.svc.cluster.local could not be resolved (110: Operation timed out), client: 10.244.1.1, server: , request: "GET / HTTP/1.1"',
      '10.244.1.1 - - [02/Dec/2026:15:00:01 +0000] "GET / HTTP/1.1" 500 170 "-" "undici"',
    ].join('\n');
    expect(countResolverTimeouts(log).count).toBe(1);
    expect(countResolverTimeouts('').count).toBe(0);
  });

  test('needs 20 responses after the window: 19 failing ones are inconclusive, 20 are affected', () => {
    const failing = (n: number) => Array.from({ length: n }, (_, i) => ({ t: 30_000 + i * 500, status: 500 }));
    expect(classifyAuthUrl({ samples: failing(19), staleSockets }).reason).toMatch(/only 19 responses/);
    expect(classifyAuthUrl({ samples: failing(20), staleSockets }).outcome).toBe('affected');
  });

  test('no samples at all', () => {
    expect(classifyAuthUrl({ samples: [], staleSockets: 0 })).toMatchObject({ outcome: 'inconclusive', figures: { share2xx: 'n/a' } });
  });

  test('healedAfterReload needs a trailing run of 2xx', () => {
    expect(healedAfterReload([])).toBe(false);
    expect(healedAfterReload([200, 200, 200, 200, 200, 500])).toBe(false);
    expect(healedAfterReload([500, 200, 200], 2)).toBe(true);
    expect(healedAfterReload([500, 200, 200, 200, 200])).toBe(false); // a run of 4 < 5
  });
});
