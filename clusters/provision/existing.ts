import { existsSync } from 'node:fs';
import { UserError } from '../../config/errors.ts';
import { Kube } from '../../harness/kube.ts';
import { nodeAddress } from '../../harness/node-exec.ts';

/** How long an existing cluster's API server gets to answer its first request. */
export const EXISTING_API_TIMEOUT_MS = 15_000;

type Probe = { ok: true } | { ok: false; status?: number; code?: string; message: string } | { ok: false; silent: true };

function describeFailure(e: unknown): Probe {
  const err = e as { code?: number | string; cause?: { code?: string }; message?: string };
  if (typeof err.code === 'number') return { ok: false, status: err.code, message: err.message ?? '' };
  const code = typeof err.code === 'string' ? err.code : err.cause?.code;
  return { ok: false, ...(code ? { code } : {}), message: (err.message ?? String(e)).split('\n')[0]! };
}

/** The one-line reason and fix for an API server that did not let us in. */
export function existingClusterProblem(server: string, kubeconfig: string, probe: Probe, timeoutMs: number): string | undefined {
  if (probe.ok) return undefined;
  const at = `cluster at ${server} (from ${kubeconfig})`;
  if ('silent' in probe) return `${at} accepted the connection but did not answer within ${timeoutMs / 1000} s: check the kubeconfig's context, that the cluster is up and that nothing between holds the connection`;
  if (probe.status === 401) return `${at} rejected the kubeconfig's credentials (401 Unauthorized): refresh the user's token or client certificate`;
  if (probe.status === 403) return `${at} denied listing API resources to the kubeconfig's user (403 Forbidden): the suite needs cluster-admin`;
  if (probe.status !== undefined) return `${at} answered ${probe.status}: ${probe.message}`;
  if (probe.code === 'ECONNREFUSED') return `${at}: nothing listens there (ECONNREFUSED): check that the cluster is up and the kubeconfig's server address`;
  if (probe.code === 'ENOTFOUND' || probe.code === 'EAI_AGAIN') return `${at}: the server's name does not resolve (${probe.code}): check the kubeconfig's server address`;
  return `${at} could not be reached (${probe.code ?? probe.message}): check the kubeconfig's server address and certificates`;
}

/** Checks that an existing cluster's kubeconfig is there and its API server answers and lets us in. */
export async function connectExisting(kubeconfig: string, timeoutMs = EXISTING_API_TIMEOUT_MS): Promise<Kube> {
  if (!existsSync(kubeconfig)) throw new UserError(`NETREPRO_KUBECONFIG=${kubeconfig}: no such file; point it at a kubeconfig for the cluster to test`);
  let kube: Kube;
  try {
    kube = new Kube(kubeconfig);
  } catch (e) {
    throw new UserError(`NETREPRO_KUBECONFIG=${kubeconfig} is not a usable kubeconfig (${(e as Error).message})`);
  }
  const server = kube.config.getCurrentCluster()?.server ?? 'unknown server';
  let timer: NodeJS.Timeout | undefined;
  const probe = await Promise.race<Probe>([
    kube.core.getAPIResources().then((): Probe => ({ ok: true }), describeFailure),
    new Promise<Probe>((resolve) => (timer = setTimeout(() => resolve({ ok: false, silent: true }), timeoutMs))),
  ]).finally(() => clearTimeout(timer));
  const problem = existingClusterProblem(server, kubeconfig, probe, timeoutMs);
  if (problem) throw new UserError(problem);
  return kube;
}

/**
 * The nodes of an existing cluster that are kind node containers on this host
 * (a container of that name whose address is the node's InternalIP), so the
 * stories that read iptables or conntrack inside a node can run there too.
 */
export async function nodeContainersOf(kube: Kube): Promise<string[]> {
  const nodes = (await kube.core.listNode()).items;
  const found: string[] = [];
  for (const node of nodes) {
    const name = node.metadata!.name!;
    const internal = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    const address = await nodeAddress(name).catch(() => undefined);
    if (internal && address === internal) found.push(name);
  }
  return found;
}
