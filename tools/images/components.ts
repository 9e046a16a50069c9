import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pins } from '../../config/pins.ts';
import { cacheDir } from './cache.ts';
import { binaryNames, buildModule, moduleBuilt, moduleOut, type ModuleBuild } from './gomodule.ts';
import { kubernetesOut, stagingVersion } from './kubernetes.ts';
import { buildOwnGo } from './ownsrc.ts';
import type { Step } from './steps.ts';

const bare = (v: string) => v.replace(/^v/, '');

/** Every binary built from a Go module at a pinned version, by step name. */
export function moduleBuilds(p: Pins): Record<string, ModuleBuild> {
  return {
    containerd: {
      name: 'containerd',
      module: 'github.com/containerd/containerd/v2',
      version: p.containerd,
      packages: ['cmd/containerd', 'cmd/ctr', 'cmd/containerd-shim-runc-v2'].map((c) => `github.com/containerd/containerd/v2/${c}`),
      ldflags: [`-X github.com/containerd/containerd/v2/version.Version=${p.containerd}`],
      tags: ['no_btrfs', 'no_devmapper', 'no_zfs'],
    },
    runc: {
      name: 'runc',
      module: 'github.com/opencontainers/runc',
      version: p.runc,
      packages: ['github.com/opencontainers/runc'],
      ldflags: [`-X main.version=${bare(p.runc)}`],
      tags: ['seccomp'],
      cgo: true, // libseccomp
    },
    crictl: {
      name: 'crictl',
      module: 'sigs.k8s.io/cri-tools',
      version: p.criTools,
      packages: ['sigs.k8s.io/cri-tools/cmd/crictl'],
      ldflags: [`-X sigs.k8s.io/cri-tools/pkg/version.Version=${p.criTools}`],
    },
    'cni-plugins': {
      name: 'cni-plugins',
      module: 'github.com/containernetworking/plugins',
      version: p.cniPlugins,
      packages: ['main/ptp', 'main/bridge', 'main/loopback', 'ipam/host-local', 'meta/portmap', 'meta/bandwidth', 'meta/tuning', 'meta/firewall'].map(
        (d) => `github.com/containernetworking/plugins/plugins/${d}`,
      ),
      ldflags: [`-X github.com/containernetworking/plugins/pkg/utils/buildversion.BuildVersion=${p.cniPlugins}`],
    },
    etcd: {
      name: 'etcd',
      module: 'go.etcd.io/etcd/server/v3',
      version: p.etcd,
      packages: [{ pkg: 'go.etcd.io/etcd/server/v3', binary: 'etcd' }],
      // server/go.mod replaces its sibling modules with ../api etc.; they are released at the same tag.
      siblingVersion: (m) => (m.startsWith('go.etcd.io/etcd/') ? p.etcd : undefined),
    },
    coredns: {
      name: 'coredns',
      module: 'github.com/coredns/coredns',
      version: p.coredns,
      packages: ['github.com/coredns/coredns'],
      ldflags: [`-X github.com/coredns/coredns/coremain.GitCommit=${p.coredns}`],
    },
    'local-path': {
      name: 'local-path',
      module: 'github.com/rancher/local-path-provisioner',
      version: p.localPathProvisioner,
      packages: ['github.com/rancher/local-path-provisioner'],
      ldflags: [`-X main.VERSION=${p.localPathProvisioner}`],
    },
    registry: {
      name: 'registry',
      module: 'github.com/distribution/distribution/v3',
      version: p.registry,
      packages: ['github.com/distribution/distribution/v3/cmd/registry'],
    },
    kind: { name: 'kind', module: 'sigs.k8s.io/kind', version: p.kind, packages: ['sigs.k8s.io/kind'] },
    helm: {
      name: 'helm',
      module: 'helm.sh/helm/v3',
      version: p.helm,
      packages: ['helm.sh/helm/v3/cmd/helm'],
      ldflags: [`-X helm.sh/helm/v3/internal/version.version=${p.helm}`],
    },
    actionlint: {
      name: 'actionlint',
      module: 'github.com/rhysd/actionlint',
      version: p.actionlint,
      packages: ['github.com/rhysd/actionlint/cmd/actionlint'],
      ldflags: [`-X github.com/rhysd/actionlint.version=${p.actionlint}`],
    },
  };
}

export function binPath(p: Pins, step: string, binary?: string): string {
  const b = moduleBuilds(p)[step];
  if (!b) throw new Error(`no module build named ${step}`);
  return join(moduleOut(b), binary ?? binaryNames(b)[0]!);
}

function moduleStep(name: string, summary: string, extraInputs: unknown = {}): Step {
  return {
    name,
    summary,
    deps: ['host'],
    inputs: (p) => ({ build: moduleBuilds(p)[name], extraInputs, recipe: 1 }),
    async present(ctx) {
      return moduleBuilt(moduleBuilds(ctx.pins)[name]!);
    },
    async run({ pins, r }) {
      await buildModule(r, moduleBuilds(pins)[name]!);
    },
  };
}

export const containerdStep = moduleStep('containerd', 'containerd, ctr, containerd-shim-runc-v2 (github.com/containerd/containerd/v2)');
export const runcStep = moduleStep('runc', 'runc with seccomp (github.com/opencontainers/runc, cgo + libseccomp)');
export const crictlStep = moduleStep('crictl', 'crictl (sigs.k8s.io/cri-tools)');
export const cniStep = moduleStep('cni-plugins', 'CNI plugins ptp, bridge, loopback, host-local, portmap, bandwidth, tuning, firewall');
export const etcdStep = moduleStep('etcd', 'etcd (go.etcd.io/etcd/server/v3)');
export const corednsStep = moduleStep('coredns', 'CoreDNS (github.com/coredns/coredns)');
export const localPathStep = moduleStep('local-path', 'local-path-provisioner (github.com/rancher/local-path-provisioner)');

/** Where the suite finds kind, helm, kubectl, actionlint. */
export function toolBin(): string {
  return cacheDir('bin');
}

export const toolchainStep: Step = {
  name: 'toolchain',
  summary: 'kind, helm, actionlint from their modules; kubectl from the kubernetes step; into <cache>/bin',
  deps: ['host', 'kubernetes'],
  inputs: (p) => ({ builds: ['kind', 'helm', 'actionlint'].map((n) => moduleBuilds(p)[n]), k: p.kubernetes, recipe: 1 }),
  async present(ctx) {
    return ['kind', 'helm', 'actionlint', 'kubectl'].every((b) => existsSync(join(toolBin(), b)));
  },
  async run({ pins, r }) {
    for (const n of ['kind', 'helm', 'actionlint']) {
      const b = moduleBuilds(pins)[n]!;
      if (!moduleBuilt(b)) await buildModule(r, b);
      copyFileSync(binPath(pins, n), join(toolBin(), n));
    }
    copyFileSync(join(kubernetesOut(pins), 'kubectl'), join(toolBin(), 'kubectl'));
    await r.run('chmod', ['0755', ...['kind', 'helm', 'actionlint', 'kubectl'].map((b) => join(toolBin(), b))]);
    console.log(`  tools in ${toolBin()} (add it to PATH)`);
  },
};

/** Our own small programs: pause (C, static), runc-nocap for the node, kindnetd. */
export function ownOut(): string {
  return cacheDir('out', 'own');
}

export const PAUSE_C = `/* netrepro pause: sleep until a signal, reap children; PID 1 of a pod sandbox. */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
static void quit(int sig) { (void)sig; _exit(0); }
static void reap(int sig) { (void)sig; while (waitpid(-1, NULL, WNOHANG) > 0) {} }
int main(void) {
  struct sigaction q = {0}, c = {0};
  q.sa_handler = quit; sigaction(SIGINT, &q, NULL); sigaction(SIGTERM, &q, NULL);
  c.sa_handler = reap; c.sa_flags = SA_NOCLDSTOP; sigaction(SIGCHLD, &c, NULL);
  for (;;) pause();
  return 1;
}
`;

export const ownStep: Step = {
  name: 'own',
  summary: 'our pause (static C), runc-nocap for nested runc, kindnetd (images/go/kindnetd)',
  deps: ['host'],
  inputs: (p) => ({ pause: PAUSE_C, k: stagingVersion(p.kubernetes), recipe: 1, src: ownSourceKey() }),
  async present() {
    return ['pause', 'runc-nocap', 'kindnetd'].every((b) => existsSync(join(ownOut(), b)));
  },
  async run({ pins, r }) {
    const out = ownOut();
    const src = join(cacheDir('src', 'pause'), 'pause.c');
    writeFileSync(src, PAUSE_C);
    await r.run('gcc', ['-Os', '-static', '-o', join(out, 'pause'), src]);
    await r.run('strip', [join(out, 'pause')]);
    await buildOwnGo(r, 'runc-nocap', join(out, 'runc-nocap'), { ldflags: ['-X main.realRuntime=/usr/local/sbin/runc'] });
    const kv = stagingVersion(pins.kubernetes);
    await buildOwnGo(r, 'kindnetd', join(out, 'kindnetd'), {
      goVersion: '1.24',
      require: [
        ['k8s.io/api', kv],
        ['k8s.io/apimachinery', kv],
        ['k8s.io/client-go', kv],
      ],
    });
  },
};

import { ownSources } from './ownsrc.ts';
function ownSourceKey(): unknown {
  return ['runc-nocap', 'kindnetd'].map((n) => {
    try {
      return ownSources(n);
    } catch {
      return null;
    }
  });
}
