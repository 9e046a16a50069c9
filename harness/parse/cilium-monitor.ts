// Parser for the drop notifications of `cilium monitor` / `cilium-dbg monitor`.
//
// One-line form (`--type drop`, and drops among the other events of a plain `cilium monitor`):
//   xx drop (Policy denied) to endpoint 25729, identity 261->264: 10.11.13.37 -> 10.11.101.61 EchoRequest     (no flow, ~1.0)
//   xx drop (Policy denied (L3)), to endpoint 15532, identity 642->643: ...                                  (no flow, early 2018)
//   xx drop (Stale or unroutable IP) flow 0x29e44ff to endpoint 0, , identity 10977->unknown: a:p -> b:p udp
//   xx drop (Policy denied) flow 0xfddd76f6 to endpoint 0, ifindex 29, file bpf_lxc.c:1274, , identity ...   (current)
// Verbose form (`-v`): one block per event between separator lines; the summary line
//   CPU 01: MARK 0xdca8ec9b FROM 1833 DROP: 86 bytes, reason Stale or unroutable IP, identity host->unknown
// comes after the decoded layers (Ethernet, IPv4/IPv6, TCP/UDP/ICMP...) in current agents and
// before them in older ones; addresses and ports come from those layers.

import { finish, parseCount, SkipCounter, type Parsed } from './result.ts';

export interface MonitorDrop {
  reason: string;
  /** The flow hash, as printed (hex); one-line form of agents that print it. */
  flow?: string;
  /** The packet mark, as printed (hex); verbose form. */
  mark?: string;
  /** Verbose form: the CPU that reported the drop and the endpoint it came FROM. */
  cpu?: number;
  from?: number;
  /** Verbose form: the packet length. */
  bytes?: number;
  endpoint?: number;
  ifindex?: number;
  /** BPF source file (a name, or a numeric id on 1.13 agents) and line that dropped the packet. */
  file?: string;
  line?: number;
  /** Numeric identity, or a name such as `unknown` / `world` / `host`. */
  srcIdentity?: string;
  dstIdentity?: string;
  srcIp?: string;
  srcPort?: number;
  dstIp?: string;
  dstPort?: number;
  /**
   * One-line form: first word of the summary (`udp`, `tcp`, an ICMP type such as
   * `RouterSolicitation`, or `58(0)`). Verbose form: the transport layer (`tcp`, `udp`, `ICMPv6`...).
   */
  proto?: string;
  /** The drop line (one-line form) or the summary line (verbose form), trimmed. */
  raw: string;
}

const WHAT = 'cilium monitor drop output';

const ONE_LINE = /^xx drop \((.+?)\)(?: flow (0x[0-9a-fA-F]+))?,? to endpoint (\d+),(?: ifindex (\d+),)?(?: file ([^\s:,]+):(\d+),)?.*?identity (\S+)->(\S+): (\S+) -> (\S+)(?: (\S+).*)?$/;
const VERBOSE_DROP = /^CPU (\d+): MARK (0x[0-9a-fA-F]+) FROM (\d+) DROP: (\d+) bytes, reason (.+)$/;

/** Lines the monitor prints that are not drop notifications. */
const BANNER = /^Listening for events on \d+ CPUs with \d+x\d+ of shared memory$/;
const KNOWN = [
  BANNER,
  /^Press Ctrl-C to quit$/,
  // The monitor's own log lines: level=info msg="Initializing dissection cache..." subsys=monitor on
  // older agents; 1.20 prints time=… level=info msg="Initializing dissection cache..." without subsys.
  /^(?:time=(?:"[^"]*"|\S+) )?level=\w+ msg=.*\bsubsys=monitor\b/,
  /^(?:time=(?:"[^"]*"|\S+) )?level=\w+ msg="Initializing dissection cache\.\.\."/,
  // Trace events (`-> endpoint ...`, `<- host ...`, `-> overlay ...`) and L7 records (`<- Request http ...`).
  /^(?:->|<-) \S/,
  // Agent notifications (`>> Endpoint regenerated: ...`) and policy verdicts.
  /^>> \S/,
  /^Policy verdict log: /,
  // Verbose trace and debug events: `CPU 01: MARK 0x.. FROM 1833 to-overlay: ...`, `... DEBUG: ...`.
  /^CPU \d+: MARK 0x[0-9a-fA-F]+ FROM \d+ (?:[a-z]+(?:-[a-z]+)+|DEBUG): /,
];
const SEPARATOR = /^-{20,}$/;
/** A decoded layer of the verbose form: `IPv4\t{Contents=[..20..] ... SrcIP=a DstIP=b ...}`. */
const LAYER = /^([A-Za-z][A-Za-z0-9]*)\s+\{(Contents=.*)\}$/;
const DECODE_FAILURE = /^Failed to decode layer: /;
const HEX_DUMP = /^[0-9a-f]{8} {2}(?:[0-9a-f]{2} ){1,8}/;

/** True when the monitor got as far as printing its banner (it does so before any event). */
export function monitorListened(text: string): boolean {
  return text.split('\n').some((l) => BANNER.test(l.trim()));
}

/**
 * Drop notifications in the output of `cilium monitor` in the one-line or the verbose (`-v`)
 * form. The banner, trace, debug, agent and policy-verdict lines and the decoded layers are
 * recognised and not counted as skipped; output with only the banner is an empty result.
 * Throws `UnrecognisedInput` when the input has content but no line is recognised.
 */
export function parseMonitorDrops(text: string): Parsed<MonitorDrop> {
  const counter = new SkipCounter();
  const drops: MonitorDrop[] = [];
  // Verbose form: where the decoded layers of the current event go.
  let layersFollowHeader = false;
  let blockStart = true;
  let pendingLayers: string[] = [];
  let lastHeaderDrop: MonitorDrop | undefined;

  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (SEPARATOR.test(line)) {
      pendingLayers = [];
      lastHeaderDrop = undefined;
      blockStart = true;
      continue;
    }
    const isHeader = line.startsWith('CPU ');
    if (blockStart) {
      // Older agents print the summary line first and the layers after it; current agents the reverse.
      layersFollowHeader = isHeader;
      blockStart = false;
    }

    const one = ONE_LINE.exec(line);
    if (one) {
      drops.push(oneLineDrop(one, line));
      continue;
    }
    const verbose = VERBOSE_DROP.exec(line);
    if (verbose) {
      const drop = verboseDrop(verbose, line);
      if (!layersFollowHeader) applyLayers(drop, pendingLayers);
      pendingLayers = [];
      lastHeaderDrop = layersFollowHeader ? drop : undefined;
      drops.push(drop);
      continue;
    }
    if (LAYER.test(line)) {
      if (layersFollowHeader) {
        if (lastHeaderDrop) applyLayers(lastHeaderDrop, [line]);
      } else {
        pendingLayers.push(line);
      }
      continue;
    }
    if (isHeader && KNOWN.some((re) => re.test(line))) {
      // Another event's summary line: its layers are not a drop's.
      if (!layersFollowHeader) pendingLayers = [];
      lastHeaderDrop = undefined;
      continue;
    }
    if (DECODE_FAILURE.test(line) || HEX_DUMP.test(line) || KNOWN.some((re) => re.test(line))) {
      continue;
    }
    counter.skip(raw);
  }
  return finish(WHAT, text, drops, counter);
}

function oneLineDrop(m: RegExpExecArray, line: string): MonitorDrop {
  const [, reason = '', flow, endpoint = '', ifindex, file, fileLine, srcId = '', dstId = '', src = '', dst = '', proto] = m;
  const s = splitHostPort(src, 'source');
  const d = splitHostPort(dst, 'destination');
  const drop: MonitorDrop = { reason, raw: line };
  if (flow !== undefined) drop.flow = flow;
  drop.endpoint = parseCount(endpoint, 'endpoint');
  if (ifindex !== undefined) drop.ifindex = parseCount(ifindex, 'ifindex');
  if (file !== undefined) drop.file = file;
  if (fileLine !== undefined) drop.line = parseCount(fileLine, 'file line');
  drop.srcIdentity = srcId;
  drop.dstIdentity = dstId;
  drop.srcIp = s.ip;
  if (s.port !== undefined) drop.srcPort = s.port;
  drop.dstIp = d.ip;
  if (d.port !== undefined) drop.dstPort = d.port;
  if (proto !== undefined) drop.proto = proto;
  return drop;
}

/** `reason R[, to ifindex N][, identity A->B][, to endpoint N]`; fields are taken from the end. */
function verboseDrop(m: RegExpExecArray, line: string): MonitorDrop {
  const [, cpu = '', mark = '', from = '', bytes = '', tail = ''] = m;
  const parts = tail.split(', ');
  const drop: MonitorDrop = { reason: '', raw: line, mark, cpu: parseCount(cpu, 'CPU'), from: parseCount(from, 'FROM'), bytes: parseCount(bytes, 'bytes') };
  while (parts.length > 1) {
    const part = parts[parts.length - 1] ?? '';
    let f: RegExpExecArray | null;
    if ((f = /^to endpoint (\d+)$/.exec(part))) drop.endpoint = parseCount(f[1] ?? '', 'endpoint');
    else if ((f = /^(?:to )?ifindex (\d+)$/.exec(part))) drop.ifindex = parseCount(f[1] ?? '', 'ifindex');
    else if ((f = /^identity (\S+)->(\S+)$/.exec(part))) {
      drop.srcIdentity = f[1] ?? '';
      drop.dstIdentity = f[2] ?? '';
    } else if ((f = /^file ([^\s:]+):(\d+)$/.exec(part))) {
      drop.file = f[1] ?? '';
      drop.line = parseCount(f[2] ?? '', 'file line');
    } else break;
    parts.pop();
  }
  drop.reason = parts.join(', ');
  return drop;
}

/** Addresses from `IPv4`/`IPv6` layers, ports and protocol from the transport layer. */
function applyLayers(drop: MonitorDrop, layers: readonly string[]): void {
  for (const layer of layers) {
    const [, name = '', body = ''] = LAYER.exec(layer) ?? [];
    if (name === 'IPv4' || name === 'IPv6') {
      const src = /\bSrcIP=(\S+)/.exec(body)?.[1];
      const dst = /\bDstIP=(\S+)/.exec(body)?.[1];
      if (src !== undefined) drop.srcIp = src;
      if (dst !== undefined) drop.dstIp = dst;
    } else if (/^(?:TCP|UDP|SCTP)$/.test(name)) {
      drop.proto = name.toLowerCase();
      const src = /\bSrcPort=([^\s(]+)/.exec(body)?.[1];
      const dst = /\bDstPort=([^\s(]+)/.exec(body)?.[1];
      if (src !== undefined) drop.srcPort = parseCount(src, `${name} SrcPort`);
      if (dst !== undefined) drop.dstPort = parseCount(dst, `${name} DstPort`);
    } else if (/^ICMPv[46]$/.test(name)) {
      drop.proto = name;
    }
  }
}

/** `1.2.3.4:53`, `[fd00::1]:53`, or a bare address (ICMP) without a port. */
function splitHostPort(value: string, field: string): { ip: string; port?: number } {
  const v6 = /^\[(.+)\]:([^:]+)$/.exec(value);
  if (v6) return { ip: v6[1] ?? '', port: parseCount(v6[2] ?? '', `${field} port`) };
  const v4 = /^([\d.]+):([^:]+)$/.exec(value);
  if (v4) return { ip: v4[1] ?? '', port: parseCount(v4[2] ?? '', `${field} port`) };
  return { ip: value };
}

export function dropsTo(drops: readonly MonitorDrop[], ip: string): MonitorDrop[] {
  return drops.filter((d) => d.dstIp === ip);
}
