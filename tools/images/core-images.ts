import { formatDuration } from '../../harness/duration.ts';
import { join } from 'node:path';
import type { Pins } from '../../config/pins.ts';
import { binPath } from './components.ts';
import { aptInstall, buildImage, hasImage, type ContextFile } from './docker.ts';
import { kubernetesOut } from './kubernetes.ts';
import { ownOut, ownStep } from './components.ts';
import type { Runner } from './run.ts';
import type { Step, StepContext } from './steps.ts';
import { localTags } from '../../config/image-tags.ts';

interface ImageRecipe {
  tag: string;
  dockerfile: (base: string) => string;
  files: Record<string, ContextFile>;
}

const exe = (from: string): ContextFile => ({ from, mode: 0o755 });

/** Recipes of every image that goes into the kind node. */
export function coreRecipes(p: Pins): ImageRecipe[] {
  const t = localTags(p);
  const k = kubernetesOut(p);
  const simple = (tag: string, bin: string, src: string): ImageRecipe => ({
    tag,
    files: { [bin]: exe(src) },
    dockerfile: (base) => `FROM ${base}\nCOPY ${bin} /usr/local/bin/${bin}\n`,
  });
  return [
    simple(t.kubeApiserver, 'kube-apiserver', join(k, 'kube-apiserver')),
    simple(t.kubeControllerManager, 'kube-controller-manager', join(k, 'kube-controller-manager')),
    simple(t.kubeScheduler, 'kube-scheduler', join(k, 'kube-scheduler')),
    {
      tag: t.kubeProxy,
      files: { 'kube-proxy': exe(join(k, 'kube-proxy')) },
      dockerfile: (base) =>
        `FROM ${base}\nRUN ${aptInstall(['iptables', 'nftables', 'conntrack', 'ipset', 'kmod'])}\nCOPY kube-proxy /usr/local/bin/kube-proxy\n`,
    },
    simple(t.etcd, 'etcd', binPath(p, 'etcd')),
    {
      tag: t.coredns,
      files: { coredns: exe(binPath(p, 'coredns')) },
      dockerfile: (base) => `FROM ${base}\nCOPY coredns /coredns\nEXPOSE 53 53/udp\nENTRYPOINT ["/coredns"]\n`,
    },
    {
      tag: t.pause,
      files: { pause: exe(join(ownOut(), 'pause')) },
      dockerfile: () => `FROM scratch\nCOPY pause /pause\nUSER 65535:65535\nENTRYPOINT ["/pause"]\n`,
    },
    {
      tag: t.kindnetd,
      files: { kindnetd: exe(join(ownOut(), 'kindnetd')) },
      dockerfile: (base) => `FROM ${base}\nRUN ${aptInstall(['iptables', 'iproute2'])}\nCOPY kindnetd /bin/kindnetd\nENTRYPOINT ["/bin/kindnetd"]\n`,
    },
    {
      tag: t.localPath,
      files: { 'local-path-provisioner': exe(binPath(p, 'local-path')) },
      dockerfile: (base) => `FROM ${base}\nCOPY local-path-provisioner /usr/bin/local-path-provisioner\nCMD ["local-path-provisioner"]\n`,
    },
  ];
}

/**
 * Names kubeadm will look for (`kubeadm config images list`) mapped to our
 * local tags. Fails when a pin does not match what kubeadm expects.
 */
export async function kubeadmImages(r: Runner, p: Pins): Promise<Map<string, string>> {
  const t = localTags(p);
  const { stdout } = await r.run(join(kubernetesOut(p), 'kubeadm'), ['config', 'images', 'list', '--kubernetes-version', p.kubernetes], {
    capture: true,
  });
  const ours: Record<string, [string, string]> = {
    'kube-apiserver': [t.kubeApiserver, p.kubernetes],
    'kube-controller-manager': [t.kubeControllerManager, p.kubernetes],
    'kube-scheduler': [t.kubeScheduler, p.kubernetes],
    'kube-proxy': [t.kubeProxy, p.kubernetes],
    coredns: [t.coredns, p.coredns],
    pause: [t.pause, p.pause],
    etcd: [t.etcd, p.etcd],
  };
  const map = new Map<string, string>();
  for (const ref of stdout.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const m = /\/([^/:]+):([^:]+)$/.exec(ref);
    const entry = m ? ours[m[1]!] : undefined;
    if (!m || !entry) r.fail(`kubeadm expects ${ref}, which no recipe builds`);
    // etcd tags look like 3.6.4-0: compare the version part
    const want = m[2]!.replace(/-\d+$/, '').replace(/^v?/, '');
    if (want !== entry[1].replace(/^v/, '')) r.fail(`kubeadm ${p.kubernetes} expects ${ref}, pins.json has ${m[1]} ${entry[1]}: fix the pin`);
    map.set(ref, entry[0]);
  }
  return map;
}

export const coreImagesStep: Step = {
  name: 'core-images',
  summary: 'control-plane, kube-proxy, etcd, CoreDNS, pause, kindnetd, local-path images',
  deps: ['base', 'kubernetes', 'etcd', 'coredns', 'own', 'local-path'],
  inputs: (p) => ({ recipes: coreRecipes(p).map((x) => [x.tag, x.dockerfile('BASE')]), k: p.kubernetes, own: ownStep.inputs(p), recipe: 1 }),
  presentChecksKey: true,
  async present(ctx: StepContext, key: string) {
    for (const x of coreRecipes(ctx.pins)) if (!(await hasImage(ctx.r, x.tag, key))) return false;
    return true;
  },
  async run({ pins, r, tags }, key) {
    await kubeadmImages(r, pins); // fail early on a pin kubeadm does not expect
    for (const x of coreRecipes(pins)) {
      if (await hasImage(r, x.tag, key)) continue;
      const t0 = performance.now();
      await buildImage(r, { tag: x.tag, key, dockerfile: x.dockerfile(tags.base), files: x.files });
      console.log(`  ${x.tag} (${formatDuration(performance.now() - t0)})`);
    }
  },
};
