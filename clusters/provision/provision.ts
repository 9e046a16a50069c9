import type { Variant } from '../types.ts';
import { installCilium, ciliumValuesFor } from './addons/cilium.ts';
import { installAddons } from './addons/index.ts';
import { readRecordedHash, shapeHash, writeRecord, type ClusterShape } from './cluster-record.ts';
import type { RunOptions } from '../../config/env.ts';
import { UserError } from '../../config/errors.ts';
import { localImagesFor, type ImageSource } from '../../harness/image-source.ts';
import { describeNodeImagePlan, planNodeImage } from '../../harness/preloaded-node.ts';
import { createCluster, deleteCluster, deleteClusterDetached, listClusters, loadImages, nodeContainers, writeKubeconfig } from './kind.ts';
import { ensureRegistry, pullIntoNodes, pushImages } from '../../harness/local-registry.ts';
import { clusterName, kindConfig } from './kind-config.ts';
import { Kube } from '../../harness/kube.ts';
import { kubeconfigPath } from '../../config/paths.ts';
import { pins } from '../../config/pins.ts';
import { note, step } from '../../harness/progress.ts';
import { quickCoreDnsReadiness } from './coredns-readiness.ts';
import { workloadImages } from '../../harness/image-source.ts';
import { daemonSetRolledOut, nodesReady } from '../../harness/wait/index.ts';
import { clusterDnsAnswers } from './cluster-dns.ts';

export interface Provisioned {
  name: string;
  kubeconfig: string;
  created: boolean;
}

/** The cluster's shape; `localNode` is the node image of a local-image cluster (the plain one unless given). */
export function clusterShape(variant: Variant, ciliumVersion: string, imageSource: ImageSource, localNode?: string): ClusterShape {
  const name = clusterName(variant, ciliumVersion);
  const nodeImage = imageSource === 'local' ? (localNode ?? localImagesFor(variant, ciliumVersion).node) : pins.upstreamImages.node;
  return {
    kindConfig: kindConfig(variant, nodeImage, ciliumVersion),
    nodeImage,
    ciliumValues: variant.cilium ? ciliumValuesFor({ variant, clusterName: name, version: ciliumVersion, imageSource }) : undefined,
    addons: variant.addons,
    versions: { kind: pins.kind, kubernetes: pins.kubernetes, ...(variant.cilium ? { cilium: ciliumVersion } : {}) },
    imageSource,
  };
}

/**
 * Creates kind cluster netrepro-<variant>[-<cilium version>], or reuses one whose recorded shape
 * hash matches. A cluster being created is deleted again if setup fails or is
 * interrupted, so no half-made cluster is left behind.
 */
export async function provisionCluster(variant: Variant, ciliumVersion: string, imageSource: ImageSource, opts: RunOptions): Promise<Provisioned> {
  const name = clusterName(variant, ciliumVersion);
  const kubeconfig = kubeconfigPath(name);
  const images = imageSource === 'local' ? await planNodeImage(variant, ciliumVersion, opts.nodeImage) : undefined;
  const shape = clusterShape(variant, ciliumVersion, imageSource, images?.node);
  const hash = shapeHash(shape);

  if ((await listClusters()).includes(name)) {
    await writeKubeconfig(name, kubeconfig);
    const recorded = await readRecordedHash(new Kube(kubeconfig));
    if (recorded === hash && !opts.recreate) {
      note(`reusing cluster ${name} (shape ${hash})`);
      return { name, kubeconfig, created: false };
    }
    if (!opts.recreate) {
      const why = recorded ? `was built with a different configuration (shape ${recorded}, wanted ${hash})` : 'was not made by netrepro or its setup did not finish';
      throw new UserError(`kind cluster ${name} exists but ${why}: set NETREPRO_RECREATE=1 to replace it, or \`kind delete cluster --name ${name}\``);
    }
    await step(`delete cluster ${name} (NETREPRO_RECREATE=1)`, () => deleteCluster(name));
  }

  const abort = () => {
    note(`interrupted: deleting half-made cluster ${name}`);
    void deleteClusterDetached(name).finally(() => process.exit(130));
  };
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  try {
    await step(`create cluster ${name} (${variant.nodes.controlPlanes}+${variant.nodes.workers} nodes, ${imageSource} images)`, () =>
      createCluster(shape.kindConfig as ReturnType<typeof kindConfig>, kubeconfig),
    );
    const kube = new Kube(kubeconfig);
    // Before any CNI runs, while CoreDNS's first pods cannot start yet: the change costs no rollout.
    await quickCoreDnsReadiness(kube);
    if (images) {
      note(describeNodeImagePlan(images));
      if (images.load.length && images.via === 'registry') {
        await step(`push ${images.load.length} local images to the local registry`, async () => {
          await ensureRegistry();
          await pushImages(images.load);
        });
        await step(`pull ${images.load.length} local images from the local registry into ${name}`, async () => pullIntoNodes(await nodeContainers(name), images.load));
      } else if (images.load.length) await step(`load ${images.load.length} local images into ${name}`, () => loadImages(name, images.load));
    }
    if (variant.cilium) {
      await step(`install Cilium ${ciliumVersion}`, () => installCilium(kube, { variant, clusterName: name, version: ciliumVersion, imageSource }));
    }
    const total = variant.nodes.controlPlanes + variant.nodes.workers;
    await step(`wait for ${total} nodes Ready`, () => nodesReady(kube, total));
    if (variant.kubeProxy === 'iptables') await step('wait for kube-proxy', () => daemonSetRolledOut(kube, 'kube-system', 'kube-proxy'));
    await step('wait for CoreDNS to answer in a pod', () => clusterDnsAnswers(kube, workloadImages(imageSource).agnhost));
    await installAddons(kube, variant, { clusterName: name, imageSource });
    await writeRecord(kube, hash, shape);
    return { name, kubeconfig, created: true };
  } catch (e) {
    note(`setup of ${name} failed: deleting it (set NETREPRO_KEEP_ON_FAILURE=1 to keep it for debugging)`);
    if (!opts.keepOnFailure) await deleteCluster(name).catch(() => undefined);
    throw e;
  } finally {
    process.off('SIGINT', abort);
    process.off('SIGTERM', abort);
  }
}
