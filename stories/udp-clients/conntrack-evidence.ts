// Under kube-proxy: the node's conntrack flows from the clients to the ClusterIP, by the backend they were sent to.
import { nodeExec } from '../../harness/node-exec.ts';
import { flowsTranslatedTo, parseConntrackEntries } from '../../harness/parse/conntrack-entries.ts';

export async function conntrackTo(node: string, nodeContainers: readonly string[], serviceIp: string, port: number, backends: { old: string; fresh: string }): Promise<string> {
  if (!nodeContainers.includes(node)) return `not collected: node ${node} is not a container netrepro can exec into`;
  try {
    const out = await nodeExec(node, ['conntrack', '-L', '-p', 'udp', '--orig-dst', serviceIp, '--orig-port-dst', String(port)]);
    const { records } = parseConntrackEntries(out);
    if (records.length === 0) return 'no flow to the ClusterIP listed';
    const toOld = flowsTranslatedTo(records, serviceIp, backends.old).length;
    const toFresh = flowsTranslatedTo(records, serviceIp, backends.fresh).length;
    return `${toOld} to old, ${toFresh} to new, of ${records.length}`;
  } catch (e) {
    return `not collected: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`;
  }
}
