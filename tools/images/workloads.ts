import { join } from 'node:path';
import { aptInstall, buildImage, hasImage } from './docker.ts';
import { kubernetesOut } from './kubernetes.ts';
import type { Step } from './steps.ts';

export const CURL_PACKAGES = ['curl', 'ca-certificates', 'iproute2', 'netcat-openbsd', 'conntrack', 'dnsutils'];

export const agnhostStep: Step = {
  name: 'agnhost',
  summary: 'agnhost test image (entrypoint /agnhost)',
  deps: ['base', 'kubernetes'],
  // Like the upstream image, it carries the client tools e2e tests exec (curl, nslookup, nc, ip).
  inputs: (p) => ({ k: p.kubernetes, base: p.debian.base, pkgs: CURL_PACKAGES, recipe: 2 }),
  presentChecksKey: true,
  present: (ctx, key) => hasImage(ctx.r, ctx.tags.agnhost, key),
  async run({ pins, r, tags }, key) {
    await buildImage(r, {
      tag: tags.agnhost,
      key,
      files: { agnhost: { from: join(kubernetesOut(pins), 'agnhost'), mode: 0o755 } },
      dockerfile: `FROM ${tags.base}\nRUN ${aptInstall(CURL_PACKAGES)}\nCOPY agnhost /agnhost\nENTRYPOINT ["/agnhost"]\n`,
    });
  },
};

/** The client image also runs story E's UDP clients, which need perl's Time::HiRes (not in perl-base). */
export const CLIENT_PACKAGES = [...CURL_PACKAGES, 'perl'];

export const curlStep: Step = {
  name: 'curl',
  summary: 'client image: Debian curl, iproute2, netcat-openbsd, conntrack, dnsutils, perl',
  deps: ['base'],
  inputs: (p) => ({ base: p.debian.base, pkgs: CLIENT_PACKAGES, recipe: 1 }),
  presentChecksKey: true,
  present: (ctx, key) => hasImage(ctx.r, ctx.tags.curl, key),
  async run({ r, tags }, key) {
    await buildImage(r, {
      tag: tags.curl,
      key,
      dockerfile: `FROM ${tags.base}\nRUN ${aptInstall(CLIENT_PACKAGES)}\nCMD ["sleep", "infinity"]\n`,
    });
  },
};

export const nginxStep: Step = {
  name: 'nginx',
  summary: 'plain nginx from Debian (suite of the nginx pin)',
  deps: ['base-nginx'],
  inputs: (p) => ({ suite: p.debian.nginx, recipe: 1 }),
  presentChecksKey: true,
  present: (ctx, key) => hasImage(ctx.r, ctx.tags.nginx, key),
  async run({ r, tags }, key) {
    await buildImage(r, {
      tag: tags.nginx,
      key,
      dockerfile: `FROM ${tags.baseNginx}
RUN ${aptInstall(['nginx', 'ca-certificates'])} \\
 && ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
`,
    });
  },
};
