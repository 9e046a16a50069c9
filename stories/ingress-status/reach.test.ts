import { describe, expect, test } from 'vitest';
import { failedByIngress, type AdvertisedRequest } from './reach.ts';

const req = (t: number, ingress: string, status: number, address = '172.18.255.200'): AdvertisedRequest => ({ t, ingress, address, status });

describe('requests through the advertised address', () => {
  test('counted per Ingress from its first 2xx on; a flip to node addresses shows as failures', () => {
    const by = failedByIngress([
      req(0, 'one/test', 404), // the controller is still loading the Ingress
      req(2, 'one/test', 200),
      req(4, 'one/test', 0, '172.18.0.3'), // status flipped to a node IP: nothing listens on :80
      req(6, 'one/test', 200),
      req(0, 'three/test', 200),
      req(2, 'three/test', 200),
    ]);
    expect(by.get('one/test')).toEqual({ sent: 3, failed: 1 });
    expect(by.get('three/test')).toEqual({ sent: 2, failed: 0 });
  });

  test('an Ingress that never answered counts every request as failed', () => {
    expect(failedByIngress([req(0, 'two/test', 0), req(2, 'two/test', 0)]).get('two/test')).toEqual({ sent: 2, failed: 2 });
  });
});
