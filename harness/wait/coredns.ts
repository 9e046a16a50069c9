import { EXEC_POLL_INTERVAL_MS, ROUTE_READY_MS } from '../timeouts.ts';
import type { Kube } from '../kube.ts';
import { until, type UntilOptions } from './until.ts';

/** nslookup of an in-cluster name from a pod succeeds and returns an address. */
export async function nameResolves(kube: Kube, pod: { namespace: string; name: string; container?: string }, fqdn: string, opts: UntilOptions = { timeoutMs: ROUTE_READY_MS, intervalMs: EXEC_POLL_INTERVAL_MS }): Promise<string> {
  return until(`${fqdn} to resolve from pod ${pod.namespace}/${pod.name}`, async () => {
    const out = await kube.exec(pod.namespace, pod.name, pod.container ?? 'toolbox', ['nslookup', fqdn], 15_000);
    const addresses = [...out.matchAll(/^Address:\s*([0-9.]+)\s*$/gm)].map((m) => m[1]!);
    return addresses.at(-1);
  }, opts);
}
