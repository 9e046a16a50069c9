import { expect, test } from 'vitest';
import { statusTimeline } from './plot.ts';

test('the status timeline puts each request on its lane and marks restart, cache window and reload', () => {
  const chart = statusTimeline('plain-nginx / terminate-pod-connections-off', [{ t: 0, status: 200 }, { t: 40_000, status: 500 }, { t: 50_000, status: 0 }], [{ t: 1_000, status: 200 }], { reloadAtMs: 129_000, probeFromMs: 130_000, endMs: 150_000 });
  for (const text of ['old CoreDNS pods gone', 'resolver cache window ends', 'nginx -s reload', '40.0 s: 500', '50.0 s: no answer', '131.0 s: 200']) expect(chart).toContain(text);
});
