import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { probe, probeSeries, startProbeSeries } from './http.ts';

// A loopback server: /slow never answers within the probe timeout, /ok echoes the Host header.
const server = createServer((req, res) => {
  if (req.url === '/slow') return void setTimeout(() => res.end('late'), 5_000);
  res.end(req.headers.host ?? '');
});
let base = '';
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('HTTP probes', () => {
  test('the Host header is sent as given, like curl --resolve', async () => {
    const r = await probe(`${base}/ok`, { host: 'auth-url.netrepro.test' });
    expect(r).toMatchObject({ status: 200, body: 'auth-url.netrepro.test' });
  });

  test('a hanging answer is an error after the timeout, not an exception', async () => {
    const r = await probe(`${base}/slow`, { timeoutMs: 200 });
    expect(r.status).toBe('error');
  });

  test('series are open loop: hanging requests do not lower the sample count', async () => {
    const started = Date.now();
    const results = await probeSeries(`${base}/slow`, { rate: 20, durationMs: 500, timeoutMs: 600 });
    expect(results).toHaveLength(10);
    expect(results.every((r) => r.status === 'error')).toBe(true);
    expect(results.map((r) => r.t)).toEqual([...results.map((r) => r.t)].sort((a, b) => a - b));
    // One after another they would take 10 × 600 ms; sent open loop, about 1.1 s.
    expect(Date.now() - started).toBeLessThan(3_500);
  });

  test('series stop at maxRequests', async () => {
    const results = await probeSeries(`${base}/ok`, { rate: 50, durationMs: 5_000, maxRequests: 3 });
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
  });

  test('a running series says when its window is over, before its hanging requests have answered', async () => {
    const series = startProbeSeries(`${base}/slow`, { rate: 20, durationMs: 200, timeoutMs: 1_000 });
    let answered = false;
    void series.results.then(() => { answered = true; });
    await series.sent;
    expect(answered, 'the last requests still hang when the window ends').toBe(false);
    const results = await series.results;
    expect(results).toHaveLength(4);
    expect(results.every((r) => r.status === 'error')).toBe(true);
  });
});
