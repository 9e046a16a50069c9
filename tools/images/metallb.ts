import { join } from 'node:path';
import type { Pins } from '../../config/pins.ts';
import { buildImage, hasImage } from './docker.ts';
import { buildModule, moduleBuilt, moduleOut, type ModuleBuild } from './gomodule.ts';
import type { Step } from './steps.ts';

export const METALLB_MODULE = 'go.universe.tf/metallb';

/**
 * MetalLB controller and speaker in native mode (layer 2, no FRR): the chart is
 * installed with `speaker.frr.enabled=false`, so the FRR helpers the upstream
 * speaker image also carries (cp-tool, frr-metrics, frr-reloader.sh) are not
 * built. The binaries live in the module's top-level `controller/` and
 * `speaker/` packages; the chart runs the images' entrypoints (`/controller`,
 * `/speaker`) with its own args.
 */
export function metallbBuild(p: Pins): ModuleBuild {
  return {
    name: 'metallb',
    module: METALLB_MODULE,
    version: p.metallb,
    packages: [`${METALLB_MODULE}/controller`, `${METALLB_MODULE}/speaker`],
    // internal/version carries the release number itself; these two say where the build came from.
    ldflags: [
      `-X ${METALLB_MODULE}/internal/version.gitCommit=${p.metallb}`,
      `-X ${METALLB_MODULE}/internal/version.gitBranch=go-module`,
    ],
  };
}

const image = (base: string, binary: string) => `FROM ${base}
COPY ${binary} /${binary}
ENTRYPOINT ["/${binary}"]
`;

export const metallbStep: Step = {
  name: 'metallb',
  summary: 'MetalLB controller and speaker images, native L2 mode (go.universe.tf/metallb)',
  deps: ['base'],
  inputs: (p) => ({ build: metallbBuild(p), base: p.debian.base, recipe: 1 }),
  async present(ctx, key) {
    return (await hasImage(ctx.r, ctx.tags.metallbController, key)) && (await hasImage(ctx.r, ctx.tags.metallbSpeaker, key));
  },
  async run({ pins, r, tags }, key) {
    const b = metallbBuild(pins);
    if (!moduleBuilt(b)) await buildModule(r, b);
    const out = moduleOut(b);
    for (const [tag, binary] of [[tags.metallbController, 'controller'], [tags.metallbSpeaker, 'speaker']] as const) {
      await buildImage(r, {
        tag,
        key,
        files: { [binary]: { from: join(out, binary), mode: 0o755 } },
        dockerfile: image(tags.base, binary),
      });
    }
  },
};
