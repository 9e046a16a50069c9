import { binPath, moduleBuilds } from './components.ts';
import { buildImage, hasImage } from './docker.ts';
import { buildModule, moduleBuilt } from './gomodule.ts';
import { REGISTRY_PORT } from '../../harness/local-registry.ts';
import type { Step } from './steps.ts';

/** Blobs on the container's own filesystem: the registry is a cache of images built here, rebuilt by a push. */
export const REGISTRY_CONFIG = `version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: /var/lib/registry
http:
  addr: :${REGISTRY_PORT}
`;

export const registryStep: Step = {
  name: 'registry',
  summary: 'local registry image (github.com/distribution/distribution/v3) for NETREPRO_NODE_IMAGE=registry',
  deps: ['base'],
  inputs: (p) => ({ build: moduleBuilds(p).registry, base: p.debian.base, config: REGISTRY_CONFIG, recipe: 1 }),
  presentChecksKey: true,
  present: (ctx, key) => hasImage(ctx.r, ctx.tags.registry, key),
  async run({ pins, r, tags }, key) {
    const build = moduleBuilds(pins).registry!;
    if (!moduleBuilt(build)) await buildModule(r, build);
    await buildImage(r, {
      tag: tags.registry,
      key,
      files: { registry: { from: binPath(pins, 'registry'), mode: 0o755 }, 'config.yml': { text: REGISTRY_CONFIG } },
      dockerfile: `FROM ${tags.base}\nCOPY registry /usr/bin/registry\nCOPY config.yml /etc/distribution/config.yml\nEXPOSE ${REGISTRY_PORT}\nENTRYPOINT ["/usr/bin/registry", "serve", "/etc/distribution/config.yml"]\n`,
    });
  },
};
