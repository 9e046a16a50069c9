import { ROLLOUT_MS } from '../timeouts.ts';
import type { Kube } from '../kube.ts';
import { until, type UntilOptions } from './until.ts';
import { podsOf, stuckContainer, type StuckPod } from './unstartable.ts';

/** Every pod of the DaemonSet is updated and ready. A pod that can never start ends the wait at once, named. */
export async function daemonSetRolledOut(kube: Kube, namespace: string, name: string, opts: UntilOptions = { timeoutMs: ROLLOUT_MS }) {
  let last = '';
  const result = await until(
    `DaemonSet ${namespace}/${name} to roll out`,
    async (): Promise<true | StuckPod | undefined> => {
      const ds = await kube.apps.readNamespacedDaemonSet({ namespace, name });
      const s = ds.status;
      const want = s?.desiredNumberScheduled ?? 0;
      last = `${s?.updatedNumberScheduled ?? 0} updated, ${s?.numberReady ?? 0} ready of ${want}`;
      const current = (s?.observedGeneration ?? 0) >= (ds.metadata?.generation ?? 0);
      if (current && want > 0 && s?.updatedNumberScheduled === want && s?.numberAvailable === want) return true;
      return stuckOrWait(await podsOf(kube, namespace, ds.spec?.selector?.matchLabels), (text) => (last += `; ${text}`));
    },
    opts,
    () => last,
  );
  if (result !== true) throw new Error(`DaemonSet ${namespace}/${name} cannot roll out: ${result.text}`);
}

/** The Deployment's newest ReplicaSet has all its replicas available and no old pods remain. A pod that can never start ends the wait at once, named. */
export async function deploymentRolledOut(kube: Kube, namespace: string, name: string, opts: UntilOptions = { timeoutMs: ROLLOUT_MS }) {
  let last = '';
  const result = await until(
    `Deployment ${namespace}/${name} to roll out`,
    async (): Promise<true | StuckPod | undefined> => {
      const d = await kube.apps.readNamespacedDeployment({ namespace, name });
      const want = d.spec?.replicas ?? 1;
      const s = d.status;
      last = `${s?.updatedReplicas ?? 0} updated, ${s?.availableReplicas ?? 0} available, ${s?.replicas ?? 0} total of ${want}`;
      const current = (s?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
      if (current && s?.updatedReplicas === want && s?.availableReplicas === want && s?.replicas === want) return true;
      return stuckOrWait(await podsOf(kube, namespace, d.spec?.selector?.matchLabels), (text) => (last += `; ${text}`));
    },
    opts,
    () => last,
  );
  if (result !== true) throw new Error(`Deployment ${namespace}/${name} cannot roll out: ${result.text}`);
}

/** A fatal stuck pod ends the wait; a likely stuck one is named in the timeout message; otherwise keep waiting. */
function stuckOrWait(pods: Parameters<typeof stuckContainer>[0], note: (text: string) => void): StuckPod | undefined {
  const stuck = stuckContainer(pods);
  if (stuck && !stuck.fatal) note(stuck.text);
  return stuck?.fatal ? stuck : undefined;
}
