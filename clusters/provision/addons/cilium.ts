import { CILIUM_ROLLOUT_MS, ROLLOUT_MS } from '../../../harness/timeouts.ts';
import type { HelmValues, Variant } from '../../types.ts';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { note } from '../../../harness/progress.ts';
import { isSourceLabel, sourceTree } from '../../../config/cilium-source.ts';
import { requestedCiliumSource } from '../../../config/env.ts';
import { UserError } from '../../../config/errors.ts';
import { bpftoolCapabilityValues } from './bpftool-capabilities.ts';
import { ciliumValues, mergeValues } from './cilium-values.ts';
import { goModuleDir } from '../go-module.ts';
import { deployedValues, helmUpgradeInstall } from '../helm.ts';
import { socketPrograms, socketProgramsReplaced } from './socket-programs.ts';
import type { ImageSource } from '../../../harness/image-source.ts';
import type { Kube } from '../../../harness/kube.ts';
import { daemonSetRolledOut, deploymentRolledOut } from '../../../harness/wait/index.ts';

export const CILIUM_HELM_REPO = 'https://helm.cilium.io/';
export const CILIUM_MODULE = 'github.com/cilium/cilium';

const CHART_IN_TREE = 'install/kubernetes/cilium';
const RELEASE = 'cilium';
const NAMESPACE = 'kube-system';

/** The chart of a pinned release (its Go module) or of the source tree the images were built from (CILIUM_SRC). */
async function localChart(version: string): Promise<string> {
  if (!isSourceLabel(version)) return `${await goModuleDir(CILIUM_MODULE, `v${version}`)}/${CHART_IN_TREE}`;
  const dir = requestedCiliumSource();
  if (!dir) throw new UserError(`Cilium ${version} comes from a source tree: set CILIUM_SRC to that tree`);
  const tree = sourceTree(dir);
  if (tree.label !== version) {
    throw new UserError(`CILIUM_SRC=${dir} changed since this run began (now ${tree.label}, the cluster runs ${version}): rebuild with npm run images -- cilium and run again`);
  }
  return `${tree.dir}/${CHART_IN_TREE}`;
}

export interface CiliumInstall {
  variant: Variant;
  clusterName: string;
  version: string;
  imageSource: ImageSource;
  /** Case-specific values, e.g. `{ socketLB: { hostNamespaceOnly: true } }`. */
  extra?: HelmValues;
}

export function ciliumValuesFor(i: CiliumInstall): HelmValues {
  return ciliumValues({ variant: i.variant, clusterName: i.clusterName, ciliumVersion: i.version, local: i.imageSource === 'local', extra: i.extra });
}

/**
 * Installs or reconfigures Cilium and waits until agents and operator run the
 * new configuration, and a reconfigured agent has replaced its socket-LB
 * programs (sockets connected from then on follow the new values). When the release is deployed with exactly these values
 * already (story A's first case after bring-up, consecutive cases that share
 * values), helm is not called: an upgrade would change nothing but cost seconds.
 */
export async function installCilium(kube: Kube, i: CiliumInstall): Promise<void> {
  const local = i.imageSource === 'local';
  const chart = local ? await localChart(i.version) : 'cilium';
  const values = local ? mergeValues(ciliumValuesFor(i), bpftoolCapabilityValues(readFileSync(`${chart}/values.yaml`, 'utf8'))) : ciliumValuesFor(i);
  const current = await deployedValues(kube.kubeconfigPath, RELEASE, NAMESPACE);
  const unchanged = current !== undefined && isDeepStrictEqual(normalized(current), normalized(values));
  const programsBefore = current && !unchanged ? await socketPrograms(kube) : new Map<string, number[]>();
  if (unchanged) note(`Cilium already runs with these values: not reinstalled`);
  else {
    await helmUpgradeInstall(kube.kubeconfigPath, {
      release: RELEASE,
      namespace: NAMESPACE,
      chart,
      repo: local ? undefined : CILIUM_HELM_REPO,
      version: local ? undefined : i.version,
      values,
    });
  }
  await daemonSetRolledOut(kube, NAMESPACE, 'cilium', { timeoutMs: CILIUM_ROLLOUT_MS });
  await socketProgramsReplaced(kube, programsBefore);
  await deploymentRolledOut(kube, NAMESPACE, 'cilium-operator', { timeoutMs: ROLLOUT_MS });
}

/** Values as helm stores them: through JSON, so `undefined` keys drop out as they do in the values file. */
const normalized = (v: HelmValues): unknown => JSON.parse(JSON.stringify(v));
