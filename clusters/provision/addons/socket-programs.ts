// Which socket-LB programs each node's Cilium agent has attached, read with bpftool in the agent.
import { formatDuration } from '../../../harness/duration.ts';
import { note } from '../../../harness/progress.ts';
import { CILIUM_ROLLOUT_MS } from '../../../harness/timeouts.ts';
import type { Kube } from '../../../harness/kube.ts';
import { CILIUM_AGENT_PODS } from '../../../harness/labels.ts';
import { until } from '../../../harness/wait/index.ts';

/** Where the agent mounts the cgroup v2 root it attaches its socket programs to (chart default cgroup.hostRoot). */
const CGROUP_ROOT = '/run/cilium/cgroupv2';
const SOCKET_PROGRAM = /^cil_sock/;
const AGENT_CONTAINER = 'cilium-agent';

/** Node name → ids of the cil_sock* programs attached at the cgroup root there. */
export type SocketPrograms = Map<string, number[]>;

/** Program ids from `bpftool -j cgroup show`; output of another shape is an error, not "none attached". */
export function parseSocketPrograms(json: string): number[] {
  let entries: unknown;
  try {
    entries = JSON.parse(json.trim() || '[]');
  } catch {
    throw new Error(`bpftool cgroup show printed no JSON: ${json.slice(0, 200)}`);
  }
  if (!Array.isArray(entries)) throw new Error(`bpftool cgroup show printed ${typeof entries}, not a list of attached programs`);
  return entries
    .filter((e): e is { id: number; name: string } => typeof e?.id === 'number' && typeof e?.name === 'string')
    .filter((e) => SOCKET_PROGRAM.test(e.name))
    .map((e) => e.id)
    .sort((a, b) => a - b);
}

async function readyAgents(kube: Kube): Promise<Array<{ node: string; pod: string }>> {
  const pods = await kube.core.listNamespacedPod({ namespace: 'kube-system', labelSelector: CILIUM_AGENT_PODS });
  return pods.items
    .filter((p) => !p.metadata?.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
    .map((p) => ({ node: p.spec!.nodeName!, pod: p.metadata!.name! }));
}

/** The socket programs on every node with a ready agent. */
export async function socketPrograms(kube: Kube): Promise<SocketPrograms> {
  const out: SocketPrograms = new Map();
  for (const { node, pod } of await readyAgents(kube)) {
    out.set(node, parseSocketPrograms(await kube.exec('kube-system', pod, AGENT_CONTAINER, ['bpftool', '-j', 'cgroup', 'show', CGROUP_ROOT])));
  }
  return out;
}

/**
 * A restarted agent reports Ready before it has replaced the socket programs of
 * the agent before it: until then, a socket connected in a pod is still
 * translated by the old values (seen on a busy machine: story A's
 * host-namespace-only case connected under the previous case's full coverage).
 * Waits until every node that had socket programs has a new set, or none when
 * the new values turn socket LB off there.
 */
export async function socketProgramsReplaced(kube: Kube, before: SocketPrograms, timeoutMs = CILIUM_ROLLOUT_MS): Promise<void> {
  const started = Date.now();
  let last = '';
  await until('every Cilium agent to replace its socket-LB programs', async () => {
    const now = await socketPrograms(kube);
    const waiting = [...before].filter(([node, old]) => old.length > 0 && (!now.has(node) || now.get(node)!.some((id) => old.includes(id))));
    last = waiting.map(([node, old]) => `${node}: ${now.has(node) ? `still ${old.filter((id) => now.get(node)!.includes(id)).join(',')}` : 'no ready agent'}`).join('; ');
    return waiting.length === 0 ? true : undefined;
  }, { timeoutMs }, () => last);
  const nodes = [...before.values()].filter((ids) => ids.length > 0).length;
  if (nodes > 0) note(`socket-LB programs replaced on ${nodes} node(s), ${formatDuration(Date.now() - started)} after the agents were Ready`);
}
