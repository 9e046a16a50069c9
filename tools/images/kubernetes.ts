import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pins } from '../../config/pins.ts';
import { cacheDir } from './cache.ts';
import { downloadModule, goDirective, goEnv, replacesOf, writeWrapperModule } from './go.ts';
import type { Step } from './steps.ts';

/** Binaries built from k8s.io/kubernetes; the first four also become images. */
export const CONTROL_PLANE = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy'] as const;
export const NODE_BINARIES = ['kubelet', 'kubeadm', 'kubectl'] as const;
const EXTRA_PACKAGES: Record<string, string> = { agnhost: 'k8s.io/kubernetes/test/images/agnhost' };

export function kubernetesOut(p: Pins): string {
  return cacheDir('out', `kubernetes-${p.kubernetes}`);
}

/** Staging modules (k8s.io/api, client-go, …) are released as v0.<minor>.<patch>. */
export function stagingVersion(kubernetesVersion: string): string {
  return kubernetesVersion.replace(/^v1\./, 'v0.');
}

/** -X flags that make `kubeadm version`, `kubectl version` and clients see the real version. */
export function versionLdflags(version: string, commit: string, buildDate: string): string[] {
  const m = /^v(\d+)\.(\d+)\./.exec(version);
  if (!m) throw new Error(`not a Kubernetes version: ${version}`);
  const vars = {
    gitVersion: version,
    gitMajor: m[1]!,
    gitMinor: m[2]!,
    gitCommit: commit,
    gitTreeState: 'clean',
    buildDate,
  };
  const pkgs = ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version'];
  return pkgs.flatMap((pkg) => Object.entries(vars).map(([k, v]) => `-X ${pkg}.${k}=${v}`));
}

export const kubernetesStep: Step = {
  name: 'kubernetes',
  summary: 'kube-apiserver, controller-manager, scheduler, proxy, kubelet, kubeadm, kubectl, agnhost from k8s.io/kubernetes',
  deps: [],
  inputs: (p) => ({ k: p.kubernetes, recipe: 2 }),
  async present(ctx) {
    const out = kubernetesOut(ctx.pins);
    return [...CONTROL_PLANE, ...NODE_BINARIES, 'agnhost'].every((b) => existsSync(join(out, b)));
  },
  async run({ pins, r }) {
    const version = pins.kubernetes;
    const info = await downloadModule(r, 'k8s.io/kubernetes', version);
    const upstreamGoMod = readFileSync(info.GoMod, 'utf8');
    const staging = stagingVersion(version);
    // Every `k8s.io/x => ./staging/src/k8s.io/x` becomes `k8s.io/x => k8s.io/x v0.y.z`;
    // any module-to-module replace is repeated as is.
    const replaces: Array<[string, string]> = replacesOf(upstreamGoMod).map(([from, to]) =>
      to.startsWith('./staging/') ? [from, `${from} ${staging}`] : [from, to],
    );
    if (replaces.length < 20) r.fail(`only ${replaces.length} replace lines found in k8s.io/kubernetes@${version} go.mod`);
    const mod = writeWrapperModule(`kubernetes-${version}`, goDirective(upstreamGoMod), [['k8s.io/kubernetes', version]], replaces, {}, join(info.Dir, 'go.sum'));
    const date = (info.Time ?? new Date().toISOString()).replace(/\.\d+Z$/, 'Z');
    const commit = info.Origin?.Hash ?? '';
    const ldflags = ['-s', '-w', ...versionLdflags(version, commit, date)].join(' ');
    const pkgs = [
      ...[...CONTROL_PLANE, ...NODE_BINARIES].map((b) => `k8s.io/kubernetes/cmd/${b}`),
      ...Object.values(EXTRA_PACKAGES),
    ];
    await r.run('go', ['mod', 'download', 'k8s.io/kubernetes'], { cwd: mod.dir, env: goEnv() });
    await r.run('go', ['build', '-trimpath', '-ldflags', ldflags, '-o', kubernetesOut(pins) + '/', ...pkgs], {
      cwd: mod.dir,
      env: goEnv(),
      tailLines: 15,
    });
    const { stdout } = await r.run(join(kubernetesOut(pins), 'kubeadm'), ['version', '-o', 'short'], { capture: true });
    if (stdout.trim() !== version) r.fail(`kubeadm version says "${stdout.trim()}", expected ${version}`);
  },
};
