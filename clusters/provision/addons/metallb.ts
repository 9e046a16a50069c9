import { localTags } from '../../../config/image-tags.ts';
import { kindNetworkSubnet, poolFromSubnet } from '../../../harness/docker-network.ts';
import { goModuleDir } from '../go-module.ts';
import { helmUpgradeInstall } from '../helm.ts';
import type { Kube } from '../../../harness/kube.ts';
import { pins } from '../../../config/pins.ts';
import { lbPoolSlot } from '../../../config/env.ts';
import { note } from '../../../harness/progress.ts';
import { daemonSetRolledOut, deploymentRolledOut, until } from '../../../harness/wait/index.ts';
import type { AddonContext } from './context.ts';
import { splitTag } from './cilium-values.ts';

export const METALLB_NAMESPACE = 'metallb-system';
export const METALLB_HELM_REPO = 'https://metallb.github.io/metallb';
export const METALLB_MODULE = 'go.universe.tf/metallb';
export const POOL_NAME = 'kind-pool';

async function chartFromModule(): Promise<string> {
  return `${await goModuleDir(METALLB_MODULE, pins.metallb)}/charts/metallb`;
}

export async function installMetallb(kube: Kube, ctx: AddonContext): Promise<{ range: string }> {
  const local = ctx.imageSource === 'local';
  const t = localTags();
  const [controllerRepo, controllerTag] = splitTag(t.metallbController);
  const [speakerRepo, speakerTag] = splitTag(t.metallbSpeaker);
  await helmUpgradeInstall(kube.kubeconfigPath, {
    release: 'metallb',
    namespace: METALLB_NAMESPACE,
    chart: local ? await chartFromModule() : 'metallb',
    repo: local ? undefined : METALLB_HELM_REPO,
    version: local ? undefined : pins.metallb.replace(/^v/, ''),
    values: {
      speaker: { frr: { enabled: false }, ...(local ? { image: { repository: speakerRepo, tag: speakerTag, pullPolicy: 'Never' } } : {}) },
      ...(local ? { controller: { image: { repository: controllerRepo, tag: controllerTag, pullPolicy: 'Never' } } } : {}),
    },
  });
  await deploymentRolledOut(kube, METALLB_NAMESPACE, 'metallb-controller');
  await daemonSetRolledOut(kube, METALLB_NAMESPACE, 'metallb-speaker');
  const pool = poolFromSubnet(await kindNetworkSubnet(), lbPoolSlot());
  note(`MetalLB pool ${pool.range} (inside the kind docker subnet)`);
  // The controller's webhook answers only once its endpoints are up: retry the apply until it is accepted.
  await until('MetalLB to accept the address pool (webhook ready)', async () => {
    await kube.apply([
      { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: POOL_NAME, namespace: METALLB_NAMESPACE }, spec: { addresses: [pool.range] } },
      { apiVersion: 'metallb.io/v1beta1', kind: 'L2Advertisement', metadata: { name: POOL_NAME, namespace: METALLB_NAMESPACE }, spec: { ipAddressPools: [POOL_NAME] } },
    ] as never);
    return true;
  }, { timeoutMs: 120_000, intervalMs: 3_000 });
  return pool;
}
