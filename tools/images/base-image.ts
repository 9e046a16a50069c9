import { debianMirror } from '../../config/env.ts';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pins } from '../../config/pins.ts';
import { cacheDir } from './cache.ts';
import { KEY_LABEL, hasImage } from './docker.ts';
import type { Step } from './steps.ts';
import { LOCAL_REPO } from '../../config/image-tags.ts';

/** Debian mirror used by debootstrap and inside images (NETREPRO_DEBIAN_MIRROR overrides). */
export { debianMirror };

export function baseTag(suite: string): string {
  return `${LOCAL_REPO}/base:${suite}`;
}

function sourcesList(suite: string, mirror: string): string {
  const security = mirror.replace(/\/debian\/?$/, '/debian-security');
  return [`deb ${mirror} ${suite} main`, `deb ${mirror} ${suite}-updates main`, `deb ${security} ${suite}-security main`, ''].join('\n');
}

/** A Debian base image: `debootstrap --variant=minbase <suite>` + `docker import`. */
export function baseStep(name: string, suite: (p: Pins) => string): Step {
  return {
    name,
    summary: `Debian minbase image from debootstrap + docker import`,
    deps: ['host'],
    inputs: (p) => ({ suite: suite(p), mirror: debianMirror(), recipe: 1 }),
    presentChecksKey: true,
    present: (ctx, key) => hasImage(ctx.r, baseTag(suite(ctx.pins)), key),
    async run({ pins, r }, key) {
      const s = suite(pins);
      const root = join(cacheDir('rootfs'), s);
      rmSync(root, { recursive: true, force: true });
      await r.run('debootstrap', ['--variant=minbase', s, root, debianMirror()], { tailLines: 10 });
      writeFileSync(join(root, 'etc/apt/sources.list'), sourcesList(s, debianMirror()));
      await r.sh(`rm -rf "${root}"/var/cache/apt/archives/*.deb "${root}"/var/lib/apt/lists/* "${root}"/var/log/*.log`);
      await r.sh(
        `tar -C "${root}" --numeric-owner -c . | docker import ` +
          `--change 'LABEL ${KEY_LABEL}=${key}' --change 'ENV DEBIAN_FRONTEND=noninteractive' ` +
          `--change 'CMD ["/bin/bash"]' - ${baseTag(s)}`,
      );
      rmSync(root, { recursive: true, force: true });
      // proves the capability fix: a privileged container starts
      await r.run('docker', ['run', '--rm', '--privileged', baseTag(s), 'true']);
    },
  };
}

export const baseBookwormStep = baseStep('base', (p) => p.debian.base);
export const baseNginxStep = baseStep('base-nginx', (p) => p.debian.nginx);
