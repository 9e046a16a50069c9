import { describe, expect, test } from 'vitest';
import { VARIANTS } from '../clusters/index.ts';
import { localTags } from '../config/image-tags.ts';
import { isUserError } from '../config/errors.ts';
import { buildCommandFor, chooseImageSource, localImagesFor } from './image-source.ts';

describe('the build command for missing local images', () => {
  test('a missing Cilium image names its minor: plain `npm run images` builds only the default one', () => {
    expect(buildCommandFor(['netrepro/cilium:v1.19.7', 'netrepro/cilium-operator-generic:v1.19.7'], '1.19.7')).toBe('CILIUM_VERSIONS=1.19 npm run images');
    expect(buildCommandFor(['netrepro/hubble-relay:v1.18.11'], '1.18.11')).toBe('CILIUM_VERSIONS=1.18 npm run images');
  });

  test('other images: npm run images', () => {
    expect(buildCommandFor(['netrepro/metallb-speaker:v0.15.2', 'netrepro/kind-node:v1.34.12'], '1.20.2')).toBe('npm run images');
  });
});

describe('choosing the image source', () => {
  const bpf = VARIANTS.bpf;
  const node = localTags().node;
  const only = (present: string[]) => async (ref: string) => present.includes(ref);

  test('upstream only when asked, or when no local image was ever built', async () => {
    expect(await chooseImageSource('upstream', bpf, '1.20.2', only([]))).toBe('upstream');
    expect(await chooseImageSource('auto', bpf, '1.20.2', only([]))).toBe('upstream');
  });

  test('local when every image is built', async () => {
    const all = [node, ...localImagesFor(bpf, '1.20.2').load];
    expect(await chooseImageSource('auto', bpf, '1.20.2', only(all))).toBe('local');
  });

  test('the node image built but not this Cilium: one line with the build command, no silent switch', async () => {
    const without119 = [node, ...localImagesFor(bpf, '1.20.2').load];
    const err = await chooseImageSource('auto', bpf, '1.19.7', only(without119)).catch((e: Error) => e);
    expect(isUserError(err)).toBe(true);
    expect((err as Error).message).toMatch(/^local images for Cilium 1\.19\.7 are not built \(netrepro\/cilium:v1\.19\.7, .*\): run `CILIUM_VERSIONS=1\.19 npm run images`/);
    expect((err as Error).message).not.toContain('\n');
  });
  test('a source tree (CILIUM_SRC) exists only as local images: never upstream, and its build command names the tree', async () => {
    const label = '1.16.5-src.0123456789ab';
    const up = await chooseImageSource('upstream', bpf, label, only([])).catch((e: Error) => e);
    expect(isUserError(up) && (up as Error).message).toMatch(/built from a source tree \(CILIUM_SRC\).*unset NETREPRO_IMAGES=upstream/);
    const auto = await chooseImageSource('auto', bpf, label, only([])).catch((e: Error) => e);
    expect(isUserError(auto) && (auto as Error).message).toMatch(/Cilium 1\.16\.5-src\.0123456789ab are not built .*CILIUM_SRC=<the same tree> npm run images -- cilium/);
  });
});
