import { expect, test } from 'vitest';
import { advertisedTimeline } from './plot.ts';

test('the advertised-address timeline draws LB and node spans per Ingress and the requests below them', () => {
  const classes = { lbPool: '172.18.255.231-172.18.255.250', nodeIps: ['172.18.0.3'] };
  const chart = advertisedTimeline('misconfigured', [
    { t: 0, ingress: 'one/test', addresses: ['172.18.255.231'] },
    { t: 60_000, ingress: 'one/test', addresses: ['172.18.0.3'] },
  ], classes, [{ t: 62_000, ingress: 'one/test', address: '172.18.0.3', status: 0 }], 150_000);
  for (const text of ['one/test requests', '0 s: 172.18.255.231 (LB)', '60 s: 172.18.0.3 (NODE)', '62 s via 172.18.0.3: no answer']) expect(chart).toContain(text);
});
