// What the Cilium agent on the clients' node says about their sockets: evidence beside the verdict.
import type { Kube } from '../../harness/kube.ts';
import { CILIUM_AGENT_CONTAINER, CILIUM_AGENT_PODS } from '../../harness/labels.ts';

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0];

export async function agentOnNode(kube: Kube, node: string): Promise<string | undefined> {
  const pods = await kube.core.listNamespacedPod({ namespace: 'kube-system', labelSelector: CILIUM_AGENT_PODS, fieldSelector: `spec.nodeName=${node}` });
  return pods.items[0]?.metadata?.name;
}

/**
 * Entries of the socket reverse-NAT map (`cilium-dbg bpf socknat list`, 1.18+)
 * whose backend is `ip`, and the map's total, as one figure; the reason when
 * the list cannot be read.
 */
export async function reverseSkEntriesTo(kube: Kube, agent: string, ip: string): Promise<string> {
  try {
    const out = await kube.exec('kube-system', agent, CILIUM_AGENT_CONTAINER, ['cilium-dbg', 'bpf', 'socknat', 'list']);
    const entries = out.split('\n').filter((l) => l.includes('->'));
    if (entries.length === 0 && out.trim() !== '' && !/no entries/i.test(out)) return `not read: no "backend -> frontend" line in "${out.trim().split('\n')[0]}"`;
    const toIp = entries.filter((l) => (l.split('->')[0] ?? '').includes(`${ip}:`)).length;
    return `${toIp} of ${entries.length}`;
  } catch (e) {
    return `not collected: ${firstLine(e)}`;
  }
}

/** The agent's "Forcefully terminated sockets" lines since the pass began, and their success= total. */
export async function socketTerminationLines(kube: Kube, agent: string, sinceSeconds: number): Promise<{ lines: string[]; figure: string; note: string }> {
  try {
    const log = await kube.core.readNamespacedPodLog({ namespace: 'kube-system', name: agent, container: CILIUM_AGENT_CONTAINER, sinceSeconds });
    const lines = log.split('\n').filter((l) => l.includes('Forcefully terminated sockets'));
    const destroyed = lines.reduce((n, l) => n + Number(/success=(\d+)/.exec(l)?.[1] ?? 0), 0);
    return { lines, figure: `${lines.length} line(s), success=${destroyed}`, note: `(no "Forcefully terminated sockets" line in the last ${sinceSeconds} s of ${agent}'s log)` };
  } catch (e) {
    const why = `not collected: ${firstLine(e)}`;
    return { lines: [], figure: why, note: why };
  }
}
