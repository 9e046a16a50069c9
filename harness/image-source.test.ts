import { describe, expect, test } from 'vitest';
import { buildCommandFor } from './image-source.ts';

describe('the build command for missing local images', () => {
  test('a missing Cilium image names its minor: plain `npm run images` builds only the default one', () => {
    expect(buildCommandFor(['netrepro/cilium:v1.19.7', 'netrepro/cilium-operator-generic:v1.19.7'], '1.19.7')).toBe('CILIUM_VERSIONS=1.19 npm run images');
    expect(buildCommandFor(['netrepro/hubble-relay:v1.18.11'], '1.18.11')).toBe('CILIUM_VERSIONS=1.18 npm run images');
  });

  test('other images: npm run images', () => {
    expect(buildCommandFor(['netrepro/metallb-speaker:v0.15.2', 'netrepro/kind-node:v1.34.12'], '1.20.2')).toBe('npm run images');
  });
});
