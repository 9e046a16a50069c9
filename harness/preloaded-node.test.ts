import { describe, expect, test } from 'vitest';
import { VARIANTS } from '../clusters/index.ts';
import { localTags } from '../config/image-tags.ts';
import { isUserError } from '../config/errors.ts';
import { localImagesFor } from './image-source.ts';
import { decodePreloaded, describeNodeImagePlan, encodePreloaded, planNodeImage, preloadableImages, type ImageFacts } from './preloaded-node.ts';

const VERSION = '1.20.2';
const t = localTags();
const idOf = (ref: string) => `sha256:${Buffer.from(ref).toString('hex').padEnd(64, '0').slice(0, 64)}`;

/** A docker with every preloadable image built, and a preloaded node holding `inside` (ids as given). */
function docker(inside: Array<[string, string]> | undefined, extra: Record<string, ImageFacts | undefined> = {}) {
  const facts = new Map<string, ImageFacts | undefined>(preloadableImages(VERSION).map((ref) => [ref, { id: idOf(ref) }]));
  if (inside) facts.set(t.preloadedNode(VERSION), { id: idOf('node'), preloaded: encodePreloaded(inside) });
  for (const [ref, f] of Object.entries(extra)) facts.set(ref, f);
  return async (ref: string) => facts.get(ref);
}
const all = preloadableImages(VERSION).map((ref): [string, string] => [ref, idOf(ref)]);

describe('the preloaded node image', () => {
  test('holds every image any variant loads', () => {
    for (const variant of Object.values(VARIANTS)) {
      const { load, optional } = localImagesFor(variant, VERSION);
      for (const ref of [...load, ...optional]) expect(preloadableImages(VERSION), `${variant.name}: ${ref}`).toContain(ref);
    }
  });

  test('the label round-trips, and a label of another shape is an error naming the rebuild', () => {
    expect([...decodePreloaded(encodePreloaded(all), 'node')]).toEqual(all);
    const err = (() => {
      try {
        decodePreloaded('netrepro/cilium:v1.20.2', 'netrepro/kind-node:x');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(isUserError(err)).toBe(true);
    expect(err?.message).toMatch(/not <image>@sha256:<id>: rebuild it with `npm run images -- node-preloaded --force`/);
  });
});

describe('planning the node image of a local-image cluster', () => {
  const bpf = VARIANTS.bpf;

  test('preloaded and up to date: nothing to kind load', async () => {
    const plan = await planNodeImage(bpf, VERSION, 'auto', docker(all));
    expect(plan.node).toBe(t.preloadedNode(VERSION));
    expect(plan.load).toEqual([]);
    expect(plan.preloaded.sort()).toEqual(localImagesFor(bpf, VERSION).load.concat(t.ingressNginx).sort());
  });

  test('an image rebuilt after the node was made is loaded again and named', async () => {
    const cilium = t.cilium(VERSION);
    const plan = await planNodeImage(bpf, VERSION, 'auto', docker(all, { [cilium]: { id: idOf('rebuilt') } }));
    expect(plan.load).toEqual([cilium]);
    expect(plan.stale).toEqual([cilium]);
  });

  test('an image the node lacks is loaded', async () => {
    const plan = await planNodeImage(bpf, VERSION, 'auto', docker(all.filter(([ref]) => ref !== t.agnhost)));
    expect(plan.load).toEqual([t.agnhost]);
  });

  test('plain: the plain node and every image, optional ones only when built', async () => {
    const plan = await planNodeImage(bpf, VERSION, 'plain', docker(all, { [t.ingressNginx]: undefined }));
    expect(plan.node).toBe(t.node);
    expect(plan.load).toEqual(localImagesFor(bpf, VERSION).load);
  });

  test('registry: the plain node, every image to pull from the local registry, even when a preloaded node is built', async () => {
    const plan = await planNodeImage(bpf, VERSION, 'registry', docker(all));
    expect(plan).toMatchObject({ node: t.node, via: 'registry', preloaded: [] });
    const { load, optional } = localImagesFor(bpf, VERSION);
    expect(plan.load).toEqual([...load, ...optional]);
    expect(describeNodeImagePlan(plan)).toMatch(/\d+ to pull from the local registry$/);
  });

  test('auto without a preloaded node: the plain one, saying how to build it', async () => {
    const plan = await planNodeImage(bpf, VERSION, 'auto', docker(undefined));
    expect(plan.node).toBe(t.node);
    expect(plan.reason).toMatch(/CILIUM_VERSIONS=1\.20\.2 npm run images -- node-preloaded/);
  });

  test('auto: what the node lacks comes from the local registry when its image is built, else by kind load', async () => {
    const registry = { [t.registry]: { id: idOf('registry') } };
    const source = await planNodeImage(bpf, '1.18.11-src.0123456789ab', 'auto', docker(all, registry));
    expect(source).toMatchObject({ node: t.node, via: 'registry' });
    expect(describeNodeImagePlan(source)).toMatch(/to pull from the local registry; not preloaded: .* a source tree$/);
    const stale = await planNodeImage(bpf, VERSION, 'auto', docker(all, { ...registry, [t.cilium(VERSION)]: { id: idOf('rebuilt') } }));
    expect(stale).toMatchObject({ node: t.preloadedNode(VERSION), load: [t.cilium(VERSION)], via: 'registry' });
    expect((await planNodeImage(bpf, VERSION, 'auto', docker(all, registry))).via).toBeUndefined();
    expect((await planNodeImage(bpf, VERSION, 'plain', docker(all, registry))).via).toBeUndefined();
    expect((await planNodeImage(bpf, '1.16.5', 'auto', docker(all))).via).toBeUndefined();
  });

  test('asked for preloaded without one: one line with the build command', async () => {
    const err = await planNodeImage(bpf, VERSION, 'preloaded', docker(undefined)).catch((e: Error) => e);
    expect(isUserError(err)).toBe(true);
    expect((err as Error).message).toMatch(/^preloaded node image .* is not built: run `CILIUM_VERSIONS=1\.20\.2 npm run images -- node-preloaded`, or set NETREPRO_NODE_IMAGE=plain$/);
  });

  test('a source tree or an unpinned release (bisect) has no preloaded node: plain, with the reason', async () => {
    for (const [version, what] of [['1.18.11-src.0123456789ab', 'a source tree'], ['1.16.5', 'not pinned']] as const) {
      const plan = await planNodeImage(bpf, version, 'auto', docker(all));
      expect(plan.node).toBe(t.node);
      expect(plan.reason).toBe(`preloaded node images are built for pinned Cilium versions; ${version} is ${what}`);
      const err = await planNodeImage(bpf, version, 'preloaded', docker(all)).catch((e: Error) => e);
      expect(isUserError(err)).toBe(true);
    }
  });

  test('a variant without Cilium uses the default version\'s preloaded node', async () => {
    const plan = await planNodeImage(VARIANTS.smoke, '1.18.11', 'auto', docker(all));
    expect(plan.node).toBe(t.preloadedNode(VERSION));
    expect(plan.load).toEqual([]);
  });
});
