import type { TestProject } from 'vitest/node';
import { variantByName } from '../index.ts';
import type { ClusterInfo } from '../../harness/context.ts';
import { readRunOptions } from '../../config/env.ts';
import { isUserError } from '../../config/errors.ts';
import { describeFeatures, detectFeatures } from '../../harness/features.ts';
import { chooseImageSource } from '../../harness/image-source.ts';
import { deleteCluster, nodeContainers } from './kind.ts';
import { Kube } from '../../harness/kube.ts';
import { deleteManagedNamespaces, deleteRunNamespacesDetached } from '../../harness/namespace.ts';
import { pins } from '../../config/pins.ts';
import { note, step, type StepFailure } from '../../harness/progress.ts';
import { CommandError } from '../../harness/exec.ts';
import { describeSetupFailure } from './setup-failure.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkDockerRunning, checkTool, toolPath } from '../../harness/tools.ts';
import { ensureInotifyLimits } from './host-limits.ts';
import { resolveCiliumVersion } from '../../config/versions.ts';
import { sourceTree } from '../../config/cilium-source.ts';
import { connectExisting, nodeContainersOf } from './existing.ts';
import { lockCluster, waitForCleanup } from './cluster-lock.ts';
import { clusterName } from './kind-config.ts';
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
    // One line that names the step, the cause and the fix; the whole error goes to a file.
    const details = join(readRunOptions().reportsDir, 'setup-error.txt');
    mkdirSync(dirname(details), { recursive: true });
    writeFileSync(details, e instanceof Error ? `${e.stack ?? e.message}\n${e instanceof CommandError ? e.output : ''}\n` : String(e));
    process.stderr.write(`netrepro: ${describeSetupFailure(e, (e as StepFailure).step)}${isUserError(e) ? '' : ` (details: ${details})`}\n`);
    process.exit(isUserError(e) ? 2 : 1);
  }
}

async function setupCluster(project: TestProject) {
  const variant = variantByName(project.name);
  const opts = readRunOptions();
  const id = runId();
  const tree = opts.ciliumSource ? sourceTree(opts.ciliumSource) : undefined;
  const ciliumVersion = tree?.label ?? resolveCiliumVersion(pins, opts.ciliumVersion, opts.anyRelease);
  if (tree) note(`Cilium from the source tree ${tree.dir} (VERSION ${tree.version}, content ${tree.hash.slice(0, 12)})`);

  if (opts.kubeconfig) {
    const kube = await connectExisting(opts.kubeconfig);
    const features = await detectFeatures(kube);
    const nodeContainers = await nodeContainersOf(kube);
    note(`existing cluster: ${describeFeatures(features)}; ${nodeContainers.length} node(s) are kind containers here; disruptive steps ${opts.allowDisruptive ? 'allowed' : 'skipped (set NETREPRO_ALLOW_DISRUPTIVE=1)'}`);
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
      nodeContainers,
    } satisfies ClusterInfo);
    // Interrupted, the run exits before its teardown: its namespaces are deleted by a detached kubectl.
    const interrupted = () => {
      note(`interrupted: deleting this run's namespaces on ${kube.config.getCurrentContext()}`);
      deleteRunNamespacesDetached(toolPath('kubectl'), opts.kubeconfig!, id);
      process.exit(130);
    };
    process.once('SIGINT', interrupted);
    process.once('SIGTERM', interrupted);
    return async () => {
      process.off('SIGINT', interrupted);
      process.off('SIGTERM', interrupted);
      await deleteManagedNamespaces(kube, id);
    };
  }

  await step('check docker, kind, helm, kubectl', async () => {
    await checkTool('docker');
    await checkDockerRunning();
    await Promise.all([checkTool('kind'), checkTool('helm'), checkTool('kubectl')]);
    ensureInotifyLimits();
  });
  await waitForCleanup(clusterName(variant, ciliumVersion), note);
  const releaseLock = lockCluster(clusterName(variant, ciliumVersion));
  process.once('exit', releaseLock);
  const imageSource = await chooseImageSource(opts.images, variant, ciliumVersion);
  note(`variant ${variant.name}: Kubernetes ${pins.kubernetes}${variant.cilium ? `, Cilium ${ciliumVersion}` : ''}, ${imageSource} images`);
  const cluster = await step(`bring up cluster ${clusterName(variant, ciliumVersion)}`, () => provisionCluster(variant, ciliumVersion, imageSource, opts));
  const kube = new Kube(cluster.kubeconfig);
  const features = await detectFeatures(kube);
  note(`cluster ${cluster.name}: ${describeFeatures(features)}`);
  project.provide('cluster', {
    name: cluster.name,
    variant: variant.name,
    mode: 'provisioned',
    kubeconfig: cluster.kubeconfig,
    imageSource,
    versions: { kubernetes: pins.kubernetes, ...(variant.cilium ? { cilium: ciliumVersion } : {}) },
    features,
    allowDisruptive: true,
    runId: id,
    reportsDir: opts.reportsDir,
    nodeContainers: await nodeContainers(cluster.name),
  } satisfies ClusterInfo);

  return async () => {
    try {
      await deleteManagedNamespaces(kube, id).catch((e: Error) => note(`could not delete this run's namespaces: ${e.message}`));
      const failed = anyFailed(opts.reportsDir, id);
      if (!cluster.created) return;
      if (opts.keep || (failed && opts.keepOnFailure)) {
        note(`keeping cluster ${cluster.name}: kubeconfig ${cluster.kubeconfig}`);
        return;
      }
      await step(`delete cluster ${cluster.name}`, () => deleteCluster(cluster.name));
    } finally {
      releaseLock();
    }
  };
}
