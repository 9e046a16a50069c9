import { copyFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pins } from '../../../config/pins.ts';
import { cacheDir } from '../cache.ts';
import { aptInstall, buildImage, hasImage } from '../docker.ts';
import { downloadModule } from '../go.ts';
import { buildModule, moduleBuilt, moduleOut, type ModuleBuild } from '../gomodule.ts';
import type { Runner } from '../run.ts';
import type { Step } from '../steps.ts';
import { patchTemplate } from './template.ts';

export const INGRESS_NGINX_MODULE = 'k8s.io/ingress-nginx';

/** Uid the chart runs the controller as (controller.image.runAsUser). */
export const CONTROLLER_UID = 101;

/**
 * Debian (trixie) packages standing in for upstream's OpenResty-style nginx
 * image: nginx 1.26 + http-lua + NDK + headers-more as dynamic modules,
 * OpenResty's LuaJIT, lua-resty-core/lrucache, cjson, and lua-resty-cookie /
 * lua-resty-dns under Debian's `nginx.*` names (aliased by our shims).
 */
export const RUNTIME_PACKAGES = [
  'nginx',
  'libnginx-mod-http-lua',
  'libnginx-mod-http-ndk',
  'libnginx-mod-http-headers-more-filter',
  'libluajit-5.1-2',
  'lua-resty-core',
  'lua-resty-lrucache',
  'lua-cjson',
  'lua-nginx-cookie',
  'lua-nginx-dns',
  'libmimalloc3',
  'dumb-init',
  'diffutils',
  'libcap2-bin',
  'ca-certificates',
];

/** Our Lua modules for what Debian lacks (see each file's header). */
export const LUA_SHIMS_DIR = fileURLToPath(new URL('./lua', import.meta.url));
const HERE = fileURLToPath(new URL('.', import.meta.url));
const TEMPLATE_PATCH_SOURCE = join(HERE, 'template.ts');

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? filesUnder(p) : [p];
    });
}

/** Text of every file of ours that ends up in the image, for the cache key. */
function ownFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of [...filesUnder(LUA_SHIMS_DIR), TEMPLATE_PATCH_SOURCE]) out[relative(HERE, p)] = readFileSync(p, 'utf8');
  return out;
}

/** The commit a pseudo-version names (its last 12 hex digits). */
export function commitOf(pseudoVersion: string): string {
  const m = /-([0-9a-f]{12})$/.exec(pseudoVersion);
  if (!m) throw new Error(`ingressNginx.module ${pseudoVersion} is not a pseudo-version ending in a commit`);
  return m[1]!;
}

/** The three binaries of upstream's image, named as in its rootfs and the chart's args. */
export function ingressNginxBuild(p: Pins): ModuleBuild {
  const pkg = (cmd: string) => `${INGRESS_NGINX_MODULE}/cmd/${cmd}`;
  return {
    name: 'ingress-nginx',
    module: INGRESS_NGINX_MODULE,
    version: p.ingressNginx.module,
    packages: [
      { pkg: pkg('nginx'), binary: 'nginx-ingress-controller' },
      { pkg: pkg('dbg'), binary: 'dbg' },
      { pkg: pkg('waitshutdown'), binary: 'wait-shutdown' },
    ],
    // as upstream's build/build.sh sets them
    ldflags: [
      `-X ${INGRESS_NGINX_MODULE}/version.RELEASE=${p.ingressNginx.version}`,
      `-X ${INGRESS_NGINX_MODULE}/version.COMMIT=${commitOf(p.ingressNginx.module)}`,
      `-X ${INGRESS_NGINX_MODULE}/version.REPO=https://github.com/kubernetes/ingress-nginx`,
    ],
  };
}

/** Fails when the pinned module is not the release the version and chart pins name. */
async function checkRelease(r: Runner, p: Pins, moduleDir: string): Promise<void> {
  const chart = readFileSync(join(moduleDir, 'charts/ingress-nginx/Chart.yaml'), 'utf8');
  const field = (k: string) => new RegExp(`^${k}:\\s*"?([^"\\s]+)`, 'm').exec(chart)?.[1];
  const appVersion = field('appVersion');
  const version = field('version');
  if (`v${appVersion}` !== p.ingressNginx.version || version !== p.ingressNginx.chart) {
    r.fail(
      `pins.ingressNginx: module ${p.ingressNginx.module} holds chart ${version} (app v${appVersion}), ` +
        `but the pins say chart ${p.ingressNginx.chart}, version ${p.ingressNginx.version}`,
    );
  }
}

function dockerfile(base: string): string {
  const uid = CONTROLLER_UID;
  const writable = [
    '/etc/ingress-controller/ssl',
    '/etc/ingress-controller/auth',
    '/etc/ingress-controller/geoip',
    '/etc/ingress-controller/telemetry',
    '/var/log/nginx',
    '/var/lib/nginx',
    '/tmp/nginx',
  ];
  return `FROM ${base}
RUN ${aptInstall(RUNTIME_PACKAGES)}
WORKDIR /etc/nginx
# the controller's nginx.conf seed, Lua code and template (module rootfs), the template patched for Debian's nginx
COPY etc/nginx /etc/nginx
COPY nginx.tmpl /etc/nginx/template/nginx.tmpl
# our shims for Lua libraries Debian does not package (LuaJIT's default path)
COPY lua /usr/local/share/lua/5.1
COPY nginx-ingress-controller dbg wait-shutdown /
RUN set -eux; \\
  useradd --system --uid ${uid} --user-group --home-dir /etc/nginx --no-create-home --shell /usr/sbin/nologin ingress-nginx; \\
  mkdir -p ${writable.join(' ')}; \\
  chmod -R u+w,go-w,a+rX /etc/nginx; \\
  chown -R ${uid}:${uid} /etc/nginx ${writable.join(' ')}; \\
  ln -sf /dev/stdout /var/log/nginx/access.log; \\
  ln -sf /dev/stderr /var/log/nginx/error.log; \\
  ln -sf /usr/sbin/nginx /usr/bin/nginx; \\
  ln -sf "$(ls /usr/lib/x86_64-linux-gnu/libmimalloc.so.* | head -n1)" /usr/local/lib/libmimalloc.so; \\
  for b in /nginx-ingress-controller /usr/sbin/nginx /usr/bin/dumb-init; do setcap cap_net_bind_service=+ep "$b"; setcap -v cap_net_bind_service=+ep "$b"; done; \\
  nginx -V 2>&1 | head -n1
USER ${uid}
ENTRYPOINT ["/usr/bin/dumb-init", "--"]
CMD ["/nginx-ingress-controller"]
`;
}

export const ingressNginxStep: Step = {
  name: 'ingress-nginx',
  summary: 'ingress-nginx controller (k8s.io/ingress-nginx) on Debian trixie nginx + http-lua, with our Lua shims',
  deps: ['base-nginx'],
  inputs: (p) => ({
    build: ingressNginxBuild(p),
    chart: p.ingressNginx.chart,
    suite: p.debian.nginx,
    pkgs: RUNTIME_PACKAGES,
    own: ownFiles(),
    dockerfile: dockerfile('BASE'),
    recipe: 1,
  }),
  present: (ctx, key) => hasImage(ctx.r, ctx.tags.ingressNginx, key),
  async run({ pins, r, tags }, key) {
    const info = await downloadModule(r, INGRESS_NGINX_MODULE, pins.ingressNginx.module);
    await checkRelease(r, pins, info.Dir);
    const b = ingressNginxBuild(pins);
    if (!moduleBuilt(b)) {
      // The checksum database this machine reaches lacks some of its
      // dependencies (seen: github.com/ncabatoff/process-exporter v0.7.11 → 404);
      // seed the wrapper module (buildModule's src/<name>-<version>) with the
      // module's own go.sum, which came inside its verified zip.
      copyFileSync(join(info.Dir, 'go.sum'), join(cacheDir('src', `${b.name}-${b.version}`), 'go.sum'));
      await buildModule(r, b);
    }
    const out = moduleOut(b);
    const template = patchTemplate(readFileSync(join(info.Dir, 'rootfs/etc/nginx/template/nginx.tmpl'), 'utf8'));
    await buildImage(r, {
      tag: tags.ingressNginx,
      key,
      files: {
        etc: { from: join(info.Dir, 'rootfs/etc') },
        'nginx.tmpl': { text: template },
        lua: { from: LUA_SHIMS_DIR },
        'nginx-ingress-controller': { from: join(out, 'nginx-ingress-controller'), mode: 0o755 },
        dbg: { from: join(out, 'dbg'), mode: 0o755 },
        'wait-shutdown': { from: join(out, 'wait-shutdown'), mode: 0o755 },
      },
      dockerfile: dockerfile(tags.baseNginx),
    });
  },
};
