import type { Kube } from './kube.ts';
import { CILIUM_AGENT_CONTAINER, CILIUM_AGENT_PODS } from './labels.ts';
import { dropsTo, monitorListened, parseMonitorDrops } from './parse/cilium-monitor.ts';

/** What `cilium-dbg monitor --type drop` printed on a node, or why it printed nothing. */
export type MonitorCapture = { collected: true; output: string } | { collected: false; reason: string };

/** How long past its own `timeout` the monitor exec may take to return. */
const MONITOR_EXEC_SLACK_MS = 30_000;

/**
 * Runs the node's Cilium monitor for drops while `during` runs. The monitor
 * prints its banner on stderr and the drops on stdout; both are kept, so an
 * output without the banner means the monitor never listened.
 */
export async function watchDrops<T>(kube: Kube, node: string, seconds: number, during: () => Promise<T>): Promise<{ result: T; drops: MonitorCapture }> {
  const agents = await kube.core.listNamespacedPod({ namespace: 'kube-system', labelSelector: CILIUM_AGENT_PODS, fieldSelector: `spec.nodeName=${node}` });
  const agent = agents.items[0]?.metadata?.name;
  const monitor: Promise<MonitorCapture> = agent
    ? kube.exec('kube-system', agent, CILIUM_AGENT_CONTAINER, ['sh', '-c', `timeout ${seconds} cilium-dbg monitor --type drop 2>&1; true`], seconds * 1000 + MONITOR_EXEC_SLACK_MS)
      .then((output) => ({ collected: true as const, output }), (e: Error) => ({ collected: false as const, reason: `monitor failed: ${e.message}` }))
    : Promise.resolve({ collected: false, reason: `no Cilium agent on node ${node}` });
  const result = await during();
  return { result, drops: await monitor };
}

/**
 * Drops to any of `ips` (from `fromIp` only, when given), or `not collected: <reason>` when the monitor failed,
 * never listened (`; true` hides its exit status, so no banner means it did not
 * run) or printed output the parser could not read: no evidence is not zero drops.
 */
export function dropsToAddresses(capture: MonitorCapture, ips: readonly string[], fromIp?: string): { figure: number | string; skipped?: string } {
  if (!capture.collected) return { figure: `not collected: ${capture.reason}` };
  if (!monitorListened(capture.output)) return { figure: 'not collected: the monitor printed nothing, not even its banner' };
  try {
    const { records, skipped } = parseMonitorDrops(capture.output);
    const mine = fromIp ? records.filter((d) => d.srcIp === fromIp) : records;
    const figure = ips.reduce((n, ip) => n + dropsTo(mine, ip).length, 0);
    return skipped.count > 0 ? { figure, skipped: `${skipped.count} (first: ${skipped.first ?? ''})` } : { figure };
  } catch (e) {
    return { figure: `not collected: ${e instanceof Error ? e.message : String(e)}` };
  }
}
