// Parser for the drop lines of `cilium monitor --type drop` / `cilium-dbg monitor --type drop`.
// Older agents print `to endpoint 0, , identity ...`; newer ones add `ifindex N, file F:L,`.

export interface MonitorDrop {
  reason: string;
  /** The flow hash, as printed (hex). */
  flow: string;
  endpoint: number;
  ifindex?: number;
  /** BPF source file and line that dropped the packet (newer agents). */
  file?: string;
  line?: number;
  /** Numeric identity, or a name such as `unknown` / `world`. */
  srcIdentity: string;
  dstIdentity: string;
  srcIp: string;
  srcPort?: number;
  dstIp: string;
  dstPort?: number;
  /** Last word of the summary: `udp`, `tcp`, or an ICMP type such as `RouterSolicitation`. */
  proto: string;
  raw: string;
}

const DROP = /xx drop \((.+?)\) flow (0x[0-9a-fA-F]+) to endpoint (\d+),(?: ifindex (\d+),)?(?: file ([^\s:,]+):(\d+),)?.*?identity (\S+)->(\S+): (\S+) -> (\S+) (\S+)/;

/** Lines that are not drop notifications (headers, traces, garbage) are skipped. */
export function parseMonitorDrops(text: string): MonitorDrop[] {
  const drops: MonitorDrop[] = [];
  for (const raw of text.split('\n')) {
    const m = DROP.exec(raw);
    if (!m) continue;
    const [, reason = '', flow = '', endpoint = '', ifindex, file, line, srcId = '', dstId = '', src = '', dst = '', proto = ''] = m;
    const s = splitHostPort(src);
    const d = splitHostPort(dst);
    const drop: MonitorDrop = {
      reason, flow, endpoint: Number(endpoint), srcIdentity: srcId, dstIdentity: dstId,
      srcIp: s.ip, dstIp: d.ip, proto, raw: raw.trim(),
    };
    if (ifindex !== undefined) drop.ifindex = Number(ifindex);
    if (file !== undefined) drop.file = file;
    if (line !== undefined) drop.line = Number(line);
    if (s.port !== undefined) drop.srcPort = s.port;
    if (d.port !== undefined) drop.dstPort = d.port;
    drops.push(drop);
  }
  return drops;
}

/** `1.2.3.4:53`, `[fd00::1]:53`, or a bare address (ICMP) without a port. */
function splitHostPort(value: string): { ip: string; port?: number } {
  const v6 = /^\[(.+)\]:(\d+)$/.exec(value);
  if (v6) return { ip: v6[1] ?? '', port: Number(v6[2]) };
  const v4 = /^([\d.]+):(\d+)$/.exec(value);
  if (v4) return { ip: v4[1] ?? '', port: Number(v4[2]) };
  return { ip: value };
}

export function dropsTo(drops: readonly MonitorDrop[], ip: string): MonitorDrop[] {
  return drops.filter((d) => d.dstIp === ip);
}
