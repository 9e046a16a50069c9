// Parser for /proc/net/udp and /proc/net/udp6, and the story A stale-resolver check.

import { finish, parseCount, SkipCounter, type Parsed } from './result.ts';

export interface UdpSocket {
  family: 4 | 6;
  localIp: string;
  localPort: number;
  remoteIp: string;
  remotePort: number;
  /** Kernel socket state; UDP reuses TCP numbering: 0x01 after connect(), 0x07 otherwise. */
  state: number;
  /** True for state 01 (TCP_ESTABLISHED), i.e. a connect()ed UDP socket. */
  connected: boolean;
  uid: number;
  inode: number;
  drops: number;
}

const ESTABLISHED = 0x01;
const WHAT = '/proc/net/udp output';
const HEADER = /^\s*sl\s+local_address\s+rem(?:ote)?_address\s+st\b/;
const LINE = /^\s*\d+:\s+([0-9A-Fa-f]+):([0-9A-Fa-f]{4})\s+([0-9A-Fa-f]+):([0-9A-Fa-f]{4})\s+([0-9A-Fa-f]{2})\s+\S+\s+\S+\s+\S+\s+(\d+)\s+\d+\s+(\d+)\s+\d+\s+\S+\s+(\d+)\s*$/;

/**
 * Parses either file. The header line is recognised; any other line that is not a complete
 * socket line (truncated, garbage, an address of the wrong length) is counted in `skipped`.
 * Throws `UnrecognisedInput` when the input has content but no socket line.
 */
export function parseProcNetUdp(text: string): Parsed<UdpSocket> {
  const counter = new SkipCounter();
  const sockets: UdpSocket[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || HEADER.test(line)) continue;
    const m = LINE.exec(line);
    const [, lip = '', lport = '', rip = '', rport = '', st = '', uid = '', inode = '', drops = ''] = m ?? [];
    if (!m || lip.length !== rip.length || (lip.length !== 8 && lip.length !== 32)) {
      counter.skip(line);
      continue;
    }
    const state = parseInt(st, 16);
    sockets.push({
      family: lip.length === 8 ? 4 : 6,
      localIp: hexToIp(lip), localPort: parseInt(lport, 16),
      remoteIp: hexToIp(rip), remotePort: parseInt(rport, 16),
      state, connected: state === ESTABLISHED,
      uid: parseCount(uid, 'uid'), inode: parseCount(inode, 'inode'), drops: parseCount(drops, 'drops'),
    });
  }
  return finish(WHAT, text, sockets, counter);
}

/**
 * The kernel prints addresses as 32-bit words in host byte order (little-endian on
 * x86 and arm64), so each 8-hex-digit word is byte-reversed.
 */
export function hexToIp(hex: string): string {
  const bytes: number[] = [];
  for (let w = 0; w < hex.length; w += 8) {
    const word = hex.slice(w, w + 8);
    for (let b = 6; b >= 0; b -= 2) bytes.push(parseInt(word.slice(b, b + 2), 16));
  }
  if (bytes.length === 4) return bytes.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  // The WHATWG URL parser serialises IPv6 in the RFC 5952 short form.
  return new URL(`http://[${groups.join(':')}]`).hostname.slice(1, -1);
}

/**
 * Connected sockets to `port` whose peer is neither a current DNS endpoint nor the
 * kube-dns ClusterIP (which a socket holds when the translation happens per packet).
 */
export function staleDnsSockets(
  sockets: readonly UdpSocket[],
  currentDnsEndpointIps: readonly string[],
  { port = 53, clusterIp }: { port?: number; clusterIp?: string } = {},
): UdpSocket[] {
  const fine = new Set(currentDnsEndpointIps);
  if (clusterIp !== undefined) fine.add(clusterIp);
  return sockets.filter((s) => s.connected && s.remotePort === port && !fine.has(s.remoteIp));
}
