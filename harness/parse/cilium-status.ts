// Parser for `cilium-dbg status [--verbose]`: the datapath settings an agent really runs with.

import { UnrecognisedInput } from './result.ts';

/** What the agent says it runs, as opposed to what its config map asks for. */
export interface CiliumStatus {
  version?: string;
  kubeProxyReplacement?: boolean;
  /** `Legacy`: packets from pods to the host stack go through netfilter; `BPF`: around it. */
  hostRouting?: 'bpf' | 'legacy';
  /** `tunnel` (with its protocol) or `native`. */
  network?: string;
  masquerading?: 'bpf' | 'iptables' | 'disabled';
  hubble?: boolean;
  /** From the verbose KubeProxyReplacement details. */
  socketLB?: { enabled: boolean; hostNamespaceOnly: boolean };
}

const WHAT = 'cilium-dbg status output';
const FIELD = /^(\s*)([A-Za-z][A-Za-z0-9 ./-]*?):\s+(.*?)\s*$/;

/**
 * Reads the fields above from the status text; other fields, controller tables
 * and the module tree are passed over. Text with none of the top-level fields
 * (an exec error, another command's output, nothing) throws.
 */
export function parseCiliumStatus(text: string): CiliumStatus {
  const out: CiliumStatus = {};
  const seen: string[] = [];
  let socketLB: boolean | undefined;
  let coverage: string | undefined;
  for (const line of text.split('\n')) {
    const m = FIELD.exec(line);
    if (!m) continue;
    const [, indent = '', key = '', value = ''] = m;
    const first = value.split(/\s+/)[0] ?? '';
    if (indent === '') {
      if (key === 'Cilium') {
        const v = /^\S+\s+(\d+\.\d+\.\d+\S*)/.exec(value);
        if (v) out.version = v[1]!;
      } else if (key === 'KubeProxyReplacement') out.kubeProxyReplacement = /^(True|Strict)$/i.test(first);
      else if (key === 'Routing') {
        const r = /Network:\s*(\S+)(?:\s+\[(\w+)\])?\s+Host:\s*(\S+)/.exec(value);
        if (r) {
          out.network = r[2] ? `${r[1]!.toLowerCase()} (${r[2]})` : r[1]!.toLowerCase();
          out.hostRouting = r[3]!.toLowerCase() === 'bpf' ? 'bpf' : 'legacy';
        }
      } else if (key === 'Host Routing') out.hostRouting = first.toLowerCase() === 'bpf' ? 'bpf' : 'legacy';
      else if (key === 'Masquerading') out.masquerading = first === 'BPF' ? 'bpf' : first === 'IPTables' ? 'iptables' : 'disabled';
      else if (key === 'Hubble') out.hubble = first !== 'Disabled';
      else continue;
      seen.push(key);
    } else if (key === 'Socket LB') socketLB = first === 'Enabled';
    else if (key === 'Socket LB Coverage') coverage = first;
  }
  if (socketLB !== undefined) out.socketLB = { enabled: socketLB, hostNamespaceOnly: /^hostns/i.test(coverage ?? '') };
  if (seen.length === 0) {
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    throw new UnrecognisedInput(WHAT, lines[0] ?? '(empty)', lines.length);
  }
  return out;
}
