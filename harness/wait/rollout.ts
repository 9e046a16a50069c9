import { ROLLOUT_MS } from '../timeouts.ts';
import type { Kube } from '../kube.ts';
import { until, type UntilOptions } from './until.ts';

/** Every pod of the DaemonSet is updated and ready. */
export async function daemonSetRolledOut(kube: Kube, namespace: string, name: string, opts: UntilOptions = { timeoutMs: ROLLOUT_MS }) {
  let last = '';
  await until(
    `DaemonSet ${namespace}/${name} to roll out`,
    async () => {
      const ds = await kube.apps.readNamespacedDaemonSet({ namespace, name });
      const s = ds.status;
      const want = s?.desiredNumberScheduled ?? 0;
      last = `${s?.updatedNumberScheduled ?? 0} updated, ${s?.numberReady ?? 0} ready of ${want}`;
      const current = (s?.observedGeneration ?? 0) >= (ds.metadata?.generation ?? 0);
      return current && want > 0 && s?.updatedNumberScheduled === want && s?.numberAvailable === want ? true : undefined;
    },
    opts,
    () => last,
  );
}

/** The Deployment's newest ReplicaSet has all its replicas available and no old pods remain. */
export async function deploymentRolledOut(kube: Kube, namespace: string, name: string, opts: UntilOptions = { timeoutMs: ROLLOUT_MS }) {
  let last = '';
  await until(
    `Deployment ${namespace}/${name} to roll out`,
    async () => {
      const d = await kube.apps.readNamespacedDeployment({ namespace, name });
      const want = d.spec?.replicas ?? 1;
      const s = d.status;
      last = `${s?.updatedReplicas ?? 0} updated, ${s?.availableReplicas ?? 0} available, ${s?.replicas ?? 0} total of ${want}`;
      const current = (s?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
      return current && s?.updatedReplicas === want && s?.availableReplicas === want && s?.replicas === want ? true : undefined;
    },
    opts,
    () => last,
  );
}
