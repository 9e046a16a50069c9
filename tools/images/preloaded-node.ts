import { keyOf } from './cache.ts';
import { hasImage } from './docker.ts';
import { commitNodeWithImages } from './node-containerd.ts';
import type { Step, StepContext } from './steps.ts';
import { selectedVersions } from './cilium/source.ts';
import { PRELOADED_LABEL, encodePreloaded, inspectImage, preloadableImages } from '../../harness/preloaded-node.ts';

const RECIPE = 1;

/** The images one version's preloaded node holds, with their ids; images not built are left out (the cluster loads them if built later). */
async function bakedImages(version: string): Promise<Array<[string, string]>> {
  const out: Array<[string, string]> = [];
  for (const ref of preloadableImages(version)) {
    const facts = await inspectImage(ref);
    if (facts) out.push([ref, facts.id]);
  }
  return out;
}

/**
 * The key of one version's image: the recipe and the ids of what goes in, so a
 * rebuilt Cilium rebuilds it. Not the step's key, which holds the list of
 * versions: building one more version must not rebuild the others.
 */
function contentKey(node: string, images: Array<[string, string]>): string {
  return keyOf('node-preloaded', RECIPE, node, images);
}

async function nodeId(ctx: StepContext): Promise<string> {
  const facts = await inspectImage(ctx.tags.node);
  if (!facts) ctx.r.fail(`${ctx.tags.node} is not built: npm run images -- node`);
  return facts.id;
}

export const preloadedNodeStep: Step = {
  name: 'node-preloaded',
  summary: 'kind node image per Cilium version with its agent, operator, relay and the workload images already in containerd (no kind load per cluster)',
  deps: ['node', 'agnhost', 'curl', 'nginx', 'metallb', 'ingress-nginx', 'cilium'],
  inputs: (p) => ({ versions: selectedVersions(p), recipe: RECIPE }),
  presentChecksKey: true,
  async present(ctx) {
    const node = await nodeId(ctx).catch(() => '');
    for (const version of selectedVersions(ctx.pins)) {
      const want = contentKey(node, await bakedImages(version));
      if (!(await hasImage(ctx.r, ctx.tags.preloadedNode(version), want))) return false;
    }
    return true;
  },
  async run(ctx) {
    const node = await nodeId(ctx);
    for (const version of selectedVersions(ctx.pins)) {
      const tag = ctx.tags.preloadedNode(version);
      const images = await bakedImages(version);
      const want = contentKey(node, images);
      if (await hasImage(ctx.r, tag, want)) {
        console.log(`  ${tag}: up to date`);
        continue;
      }
      const started = performance.now();
      await commitNodeWithImages(ctx.r, {
        from: ctx.tags.node,
        tag,
        key: want,
        images: images.map(([ref]) => [ref, undefined]),
        labels: { [PRELOADED_LABEL]: encodePreloaded(images) },
      });
      console.log(`  ${tag}: ${images.length} images in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
  },
};
