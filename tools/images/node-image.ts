import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pins } from '../../config/pins.ts';
import { binPath, moduleBuilds, ownOut } from './components.ts';
import { coreRecipes, kubeadmImages } from './core-images.ts';
import { aptInstall, buildImage, hasImage, type ContextFile } from './docker.ts';
import { commitNodeWithImages, type NodeImport } from './node-containerd.ts';
import { binaryNames, moduleOut } from './gomodule.ts';
import { kubernetesOut, NODE_BINARIES } from './kubernetes.ts';
import type { Runner } from './run.ts';
import type { Step } from './steps.ts';
import { localTags } from '../../config/image-tags.ts';

/** Files copied into the node as written (images/node/files/…), with @PLACEHOLDERS@ filled. */
export const NODE_FILES_DIR = fileURLToPath(new URL('./node/files/', import.meta.url));

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

export function nodeFiles(p: Pins): Record<string, ContextFile> {
  const t = localTags(p);
  const values: Record<string, string> = {
    PAUSE_IMAGE: `registry.k8s.io/pause:${p.pause}`,
    KINDNETD_IMAGE: `docker.io/${t.kindnetd}`,
    LOCAL_PATH_IMAGE: `docker.io/${t.localPath}`,
    HELPER_IMAGE: `docker.io/${t.base}`,
  };
  const files: Record<string, ContextFile> = {};
  for (const path of walk(NODE_FILES_DIR)) {
    const text = readFileSync(path, 'utf8').replace(/@([A-Z_]+)@/g, (m, k: string) => values[k] ?? m);
    const rel = relative(NODE_FILES_DIR, path);
    files[`files/${rel}`] = { text, mode: rel.startsWith('usr/local/bin/') ? 0o755 : 0o644 };
  }
  files['files/kind/version'] = { text: `${p.kubernetes}\n` };
  return files;
}

/** Packages the node needs (systemd, networking tools, runc's libseccomp). */
export const NODE_PACKAGES = [
  'systemd', 'dbus', 'conntrack', 'iptables', 'nftables', 'iproute2', 'ethtool', 'util-linux', 'mount', 'kmod',
  'libseccomp2', 'pigz', 'bash', 'ca-certificates', 'curl', 'procps', 'socat', 'ebtables',
];

function stageDockerfile(base: string): string {
  return `FROM ${base}
RUN ${aptInstall(NODE_PACKAGES)}
# systemd as a container init: no udev, no getty, no units kind nodes do not use
RUN rm -f /lib/systemd/system/multi-user.target.wants/* /etc/systemd/system/*.wants/* \\
      /lib/systemd/system/local-fs.target.wants/* /lib/systemd/system/sockets.target.wants/*udev* \\
      /lib/systemd/system/sockets.target.wants/*initctl* /lib/systemd/system/basic.target.wants/* \\
 && find /lib/systemd/system/sysinit.target.wants/ -name systemd-tmpfiles-setup.service -delete \\
 && echo ReadKMsg=no >> /etc/systemd/journald.conf \\
 && ln -sf /lib/systemd/systemd /sbin/init
COPY files/ /
COPY bin/usr/ /usr/
COPY bin/opt/ /opt/
RUN systemctl enable containerd.service kubelet.service && systemctl mask systemd-binfmt.service \\
 && mkdir -p /etc/kubernetes/manifests /etc/cni/net.d /var/lib/kubelet \\
 && rm -f /etc/machine-id && touch /etc/machine-id
# systemd wants to know it runs in a container, and stops on SIGRTMIN+3
ENV container=docker
STOPSIGNAL SIGRTMIN+3
`;
}

function binaries(p: Pins): Record<string, ContextFile> {
  const exe = (from: string): ContextFile => ({ from, mode: 0o755 });
  const f: Record<string, ContextFile> = {};
  for (const b of NODE_BINARIES) f[`bin/usr/bin/${b}`] = exe(join(kubernetesOut(p), b));
  for (const b of binaryNames(moduleBuilds(p).containerd!)) f[`bin/usr/local/bin/${b}`] = exe(join(moduleOut(moduleBuilds(p).containerd!), b));
  f['bin/usr/local/bin/crictl'] = exe(binPath(p, 'crictl'));
  f['bin/usr/local/sbin/runc'] = exe(binPath(p, 'runc'));
  f['bin/usr/local/sbin/runc-nocap'] = exe(join(ownOut(), 'runc-nocap'));
  const cni = moduleBuilds(p)['cni-plugins']!;
  for (const b of binaryNames(cni)) f[`bin/opt/cni/bin/${b}`] = exe(join(moduleOut(cni), b));
  return f;
}

/** Images the node's containerd holds: [local tag, extra name inside the node]. */
async function nodeImageList(r: Runner, p: Pins): Promise<NodeImport[]> {
  const t = localTags(p);
  const upstream = await kubeadmImages(r, p); // registry.k8s.io/… → local tag
  const byLocal = new Map([...upstream].map(([u, l]) => [l, u]));
  const list: NodeImport[] = coreRecipes(p).map((x) => [x.tag, byLocal.get(x.tag)]);
  list.push([t.base, undefined]); // local-path helper pods
  return list;
}

export const nodeStep: Step = {
  name: 'node',
  summary: 'kind node image: systemd, containerd, runc (+wrapper), kubelet/kubeadm/kubectl, CNI plugins, core images imported',
  deps: ['core-images', 'containerd', 'runc', 'crictl', 'cni-plugins', 'own', 'kubernetes'],
  inputs: (p) => ({
    files: nodeFiles(p),
    df: stageDockerfile('BASE'),
    images: coreRecipes(p).map((x) => x.tag),
    bins: Object.keys(binaries(p)),
    pins: [p.kubernetes, p.containerd, p.runc, p.criTools, p.cniPlugins, p.pause, p.etcd, p.coredns, p.localPathProvisioner],
    recipe: 1,
  }),
  presentChecksKey: true,
  present: (ctx, key) => hasImage(ctx.r, ctx.tags.node, key),
  async run({ pins, r, tags }, key) {
    const stage = `${tags.node}-stage`;
    const images = await nodeImageList(r, pins);
    if (!(await hasImage(r, stage, key))) {
      await buildImage(r, { tag: stage, key, dockerfile: stageDockerfile(tags.base), files: { ...nodeFiles(pins), ...binaries(pins) } });
    }
    await commitNodeWithImages(r, { from: stage, tag: tags.node, key, images });
    await r.run('docker', ['rmi', stage], { allowFailure: true });
  },
};
