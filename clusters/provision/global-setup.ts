import type { TestProject } from 'vitest/node';
import { variantByName } from '../index.ts';
import type { ClusterInfo } from '../../harness/context.ts';
import { readRunOptions } from '../../config/env.ts';
import { isUserError } from '../../config/errors.ts';
import { detectFeatures } from '../../harness/features.ts';
import { chooseImageSource } from '../../harness/image-source.ts';
import { deleteCluster, nodeContainers } from './kind.ts';
import { Kube } from '../../harness/kube.ts';
import { deleteManagedNamespaces } from '../../harness/namespace.ts';
import { pins } from '../../config/pins.ts';
import { note, step } from '../../harness/progress.ts';
import { checkDockerRunning, checkTool } from '../../harness/tools.ts';
import { ensureInotifyLimits } from './host-limits.ts';
import { resolveCiliumVersion } from '../../config/versions.ts';
import { connectExisting } from './existing.ts';
import { anyFailed } from './failures.ts';
import { provisionCluster } from './provision.ts';
import '../../harness/context.ts';

const runId = () => new Date().toISOString().replace(/[:.]/g, '-');

/**
 * Global setup of every e2e project: the project's name is the variant. It
 * provisions (or reuses, or connects to) the cluster and provides plain data.
 */
export default async function setup(project: TestProject) {
  try {
    return await setupCluster(project);
  } catch (e) {
    if (isUserError(e)) {
      // A problem the user can fix: one line, non-zero exit, no stack trace.
      process.stderr.write(`netrepro: ${(e as Error).message}\n`);
      process.exit(2);
    }
    throw e;
  }
}

async function setupCluster(project: TestProject) {
  const variant = variantByName(project.name);
  const opts = readRunOptions();
  const id = runId();
  const ciliumVersion = resolveCiliumVersion(pins, opts.ciliumVersion);

  if (opts.kubeconfig) {
    const kube = await connectExisting(opts.kubeconfig);
    const features = await detectFeatures(kube);
    note(`existing cluster: ${features.nodes.length} nodes, cilium=${features.ciliumVersion ?? (features.cilium ? 'yes' : 'no')}, kube-proxy=${features.kubeProxy}, KPR=${features.kubeProxyReplacement}, disruptive steps ${opts.allowDisruptive ? 'allowed' : 'skipped (set NETREPRO_ALLOW_DISRUPTIVE=1)'}`);
    project.provide('cluster', {
      name: kube.config.getCurrentContext(),
      variant: variant.name,
      mode: 'existing',
      kubeconfig: opts.kubeconfig,
      imageSource: opts.images === 'local' ? 'local' : 'upstream',
      versions: { kubernetes: 'existing', cilium: features.ciliumVersion },
      features,
      allowDisruptive: opts.allowDisruptive,
      runId: id,
      reportsDir: opts.reportsDir,
      nodeContainers: [],
    } satisfies ClusterInfo);
    return async () => {
      await deleteManagedNamespaces(kube, id);
    };
  }

  await step('check docker, kind, helm, kubectl', async () => {
    await checkTool('docker');
    await checkDockerRunning();
    await Promise.all([checkTool('kind'), checkTool('helm'), checkTool('kubectl')]);
    ensureInotifyLimits();
  });
  const imageSource = await chooseImageSource(opts.images, variant, ciliumVersion);
  note(`variant ${variant.name}: Kubernetes ${pins.kubernetes}${variant.cilium ? `, Cilium ${ciliumVersion}` : ''}, ${imageSource} images`);
  const cluster = await provisionCluster(variant, ciliumVersion, imageSource, opts);
  const kube = new Kube(cluster.kubeconfig);
  project.provide('cluster', {
    name: cluster.name,
    variant: variant.name,
    mode: 'provisioned',
    kubeconfig: cluster.kubeconfig,
    imageSource,
    versions: { kubernetes: pins.kubernetes, ...(variant.cilium ? { cilium: ciliumVersion } : {}) },
    features: await detectFeatures(kube),
    allowDisruptive: true,
    runId: id,
    reportsDir: opts.reportsDir,
    nodeContainers: await nodeContainers(cluster.name),
  } satisfies ClusterInfo);

  return async () => {
    await deleteManagedNamespaces(kube, id).catch(() => undefined);
    const failed = anyFailed(opts.reportsDir, id);
    if (!cluster.created) return;
    if (opts.keep || (failed && opts.keepOnFailure)) {
      note(`keeping cluster ${cluster.name}: kubeconfig ${cluster.kubeconfig}`);
      return;
    }
    await step(`delete cluster ${cluster.name}`, () => deleteCluster(cluster.name));
  };
}
