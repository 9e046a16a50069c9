import { EXEC_MS, LOCAL_QUERY_MS } from './timeouts.ts';
import { run } from './exec.ts';
import type { Kube } from './kube.ts';
import { toolPath } from './tools.ts';

/** Runs a command inside a kind node container (the node's own network namespace). */
export async function nodeExec(node: string, command: string[], timeoutMs = EXEC_MS): Promise<string> {
  const { stdout } = await run(toolPath('docker'), ['exec', node, ...command], { timeoutMs });
  return stdout;
}

/** The node container's address on the kind docker network. */
export async function nodeAddress(node: string): Promise<string> {
  const { stdout } = await run(toolPath('docker'), ['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}', node], { timeoutMs: LOCAL_QUERY_MS });
  const ip = stdout.trim().split(/\s+/)[0];
  if (!ip) throw new Error(`node container ${node} has no IPv4 address on a docker network`);
  return ip;
}

/**
 * An address the runner can reach a worker on: the kind node container's
 * address, or (existing clusters) the first worker's InternalIP.
 */
export async function workerAddress(kube: Kube, nodeContainers: string[]): Promise<string> {
  if (nodeContainers.length > 0) {
    return nodeAddress(nodeContainers.find((n) => !n.endsWith('control-plane')) ?? nodeContainers[0]!);
  }
  const nodes = (await kube.core.listNode()).items;
  const worker = nodes.find((n) => !n.metadata?.labels?.['node-role.kubernetes.io/control-plane']) ?? nodes[0];
  const ip = worker?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  if (!ip) throw new Error('no node has an InternalIP address the runner could reach');
  return ip;
}
