import { BlockList, isIP } from 'node:net';

/** One observed value of an Ingress's `.status.loadBalancer.ingress`. */
export interface StatusSample {
  /** Milliseconds; only the order of samples matters to `transitions`. */
  t: number;
  /** `namespace/name`. */
  ingress: string;
  /** IPs or hostnames; empty when the status was cleared. */
  addresses: string[];
}

export type StatusTimeline = StatusSample[];

export type AddressClass = 'LB' | 'NODE' | 'OTHER';

export interface AddressClasses {
  /** LoadBalancer pool: CIDR (`100.64.0.0/16`) or MetalLB range (`172.18.255.200-172.18.255.250`), or several. */
  lbPool: string | readonly string[];
  nodeIps: readonly string[];
}

export function classifyAddress(address: string, classes: AddressClasses): AddressClass {
  if (classes.nodeIps.includes(address)) return 'NODE';
  return poolOf(classes.lbPool).check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4') ? 'LB' : 'OTHER';
}

function poolOf(lbPool: string | readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of typeof lbPool === 'string' ? [lbPool] : lbPool) {
    const family = entry.includes(':') ? 'ipv6' : 'ipv4';
    const [start = '', end] = entry.split('-').map((s) => s.trim());
    const [net = '', prefix] = start.split('/');
    if (isIP(net) === 0 || (end !== undefined && isIP(end) === 0)) throw new Error(`lbPool entry is neither a CIDR nor a range: ${entry}`);
    if (end !== undefined) list.addRange(start, end, family);
    else list.addSubnet(net, prefix === undefined ? (family === 'ipv6' ? 128 : 32) : Number(prefix), family);
  }
  return list;
}

/** LB or NODE when every address agrees, OTHER when they are mixed or unknown. */
export function classifyAddresses(addresses: readonly string[], classes: AddressClasses): AddressClass {
  const found = new Set(addresses.map((a) => classifyAddress(a, classes)));
  const [only] = found;
  return found.size === 1 && only !== undefined ? only : 'OTHER';
}

export interface IngressHistory {
  ingress: string;
  /** Number of LB↔NODE changes; empty statuses, OTHER values and repeats are not changes. */
  transitions: number;
  /** Classes in observation order with repeats collapsed, e.g. ['NODE', 'LB', 'NODE']. */
  classes: AddressClass[];
  /** Last non-empty addresses seen. */
  last: string[];
  samples: number;
}

/** Per-Ingress history, in the order the Ingresses first appear. Samples are taken in array order. */
export function transitions(timeline: StatusTimeline, classes: AddressClasses): Map<string, IngressHistory> {
  const out = new Map<string, IngressHistory>();
  const lastLbOrNode = new Map<string, AddressClass>();
  for (const sample of timeline) {
    let h = out.get(sample.ingress);
    if (!h) {
      h = { ingress: sample.ingress, transitions: 0, classes: [], last: [], samples: 0 };
      out.set(sample.ingress, h);
    }
    h.samples++;
    if (sample.addresses.length === 0) continue;
    h.last = [...sample.addresses];
    const cls = classifyAddresses(sample.addresses, classes);
    if (h.classes.at(-1) !== cls) h.classes.push(cls);
    if (cls === 'OTHER') continue;
    const previous = lastLbOrNode.get(sample.ingress);
    if (previous !== undefined && previous !== cls) h.transitions++;
    lastLbOrNode.set(sample.ingress, cls);
  }
  return out;
}
