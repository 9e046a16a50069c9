import { spawn } from 'node:child_process';
import { EXEC_POLL_INTERVAL_MS, PODS_READY_MS } from './timeouts.ts';
import { randomBytes } from 'node:crypto';
import type { Kube } from './kube.ts';
import { until } from './wait/until.ts';

export const MANAGED_LABEL = 'netrepro.io/managed';
export const RUN_LABEL = 'netrepro.io/run';

/** A fresh namespace named after the test, labelled so leftovers can be found and removed. */
export async function createNamespace(kube: Kube, hint: string, runId: string): Promise<string> {
  const slug = hint.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
  const name = `nr-${slug || 'test'}-${randomBytes(3).toString('hex')}`;
  await kube.core.createNamespace({ body: { metadata: { name, labels: { [MANAGED_LABEL]: 'true', [RUN_LABEL]: runId } } } });
  return name;
}

export async function deleteNamespace(kube: Kube, name: string, wait = false): Promise<void> {
  await kube.core.deleteNamespace({ name }).catch(() => undefined);
  if (wait) {
    await until(`namespace ${name} to be deleted`, async () => {
      const exists = await kube.core.readNamespace({ name }).then(() => true, () => false);
      return exists ? undefined : true;
    }, { timeoutMs: PODS_READY_MS, intervalMs: EXEC_POLL_INTERVAL_MS });
  }
}

/** Removes every namespace netrepro labelled (optionally only one run's). */
export async function deleteManagedNamespaces(kube: Kube, runId?: string): Promise<string[]> {
  const selector = runId ? `${MANAGED_LABEL}=true,${RUN_LABEL}=${runId}` : `${MANAGED_LABEL}=true`;
  const names = (await kube.core.listNamespace({ labelSelector: selector })).items.map((n) => n.metadata!.name!);
  await Promise.all(names.map((name) => deleteNamespace(kube, name)));
  return names;
}

/** How long the detached clean-up of an interrupted run may take to ask for the deletions. */
const DETACHED_DELETE_TIMEOUT_S = 60;

/**
 * After Ctrl-C or SIGTERM the process exits before any teardown runs: hand the
 * deletion of this run's namespaces to a detached kubectl that outlives it.
 */
export function deleteRunNamespacesDetached(kubectl: string, kubeconfig: string, runId: string): void {
  const child = spawn(kubectl, ['--kubeconfig', kubeconfig, '--request-timeout', `${DETACHED_DELETE_TIMEOUT_S}s`, 'delete', 'namespaces', '-l', `${MANAGED_LABEL}=true,${RUN_LABEL}=${runId}`, '--wait=false'], { detached: true, stdio: 'ignore' });
  child.unref();
}
