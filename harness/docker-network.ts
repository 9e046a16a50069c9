import { LOCAL_QUERY_MS } from './timeouts.ts';
import { run } from './exec.ts';
import { toolPath } from './tools.ts';

/** The docker network kind puts its nodes on; the suite's own containers join it too. */
export const KIND_NETWORK = 'kind';

/** The IPv4 subnet of the docker network kind puts its nodes on. */
export async function kindNetworkSubnet(network = KIND_NETWORK): Promise<string> {
  const { stdout } = await run(toolPath('docker'), ['network', 'inspect', network, '--format', '{{range .IPAM.Config}}{{.Subnet}} {{end}}'], { timeoutMs: LOCAL_QUERY_MS });
  const v4 = stdout.trim().split(/\s+/).find((s) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(s));
  if (!v4) throw new Error(`docker network ${network} has no IPv4 subnet (got "${stdout.trim()}")`);
  return v4;
}

/**
 * A LoadBalancer pool near the top of the kind subnet, where docker hands out
 * no container addresses (it counts up from the bottom). `slot` picks one of
 * several blocks, so clusters side by side on one network never share addresses.
 */
export function poolFromSubnet(subnet: string, slot = 0, size = 20): { first: string; last: string; range: string } {
  const [base, bitsText] = subnet.split('/') as [string, string];
  const bits = Number(bitsText);
  if (bits > 24) throw new Error(`kind subnet ${subnet} is too small for a LoadBalancer pool (need /24 or larger)`);
  const toIp = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
  const broadcast = ipToInt(base) + 2 ** (32 - bits) - 1;
  const last = broadcast - 5 - slot * size;
  const first = last - size + 1;
  if (first - ipToInt(base) < 2 ** (32 - bits) / 2) throw new Error(`kind subnet ${subnet} has no room for LoadBalancer pool slot ${slot} in its upper half`);
  return { first: toIp(first), last: toIp(last), range: `${toIp(first)}-${toIp(last)}` };
}

/** Whether an IPv4 address lies in a subnet such as the kind network's (`172.18.0.0/16`). */
export function inSubnet(ip: string, subnet: string): boolean {
  const [base, bitsText] = subnet.split('/') as [string, string];
  const size = 2 ** (32 - Number(bitsText));
  const start = Math.floor(ipToInt(base) / size) * size;
  const n = ipToInt(ip);
  return n >= start && n < start + size;
}

/** A dotted IPv4 address as a number; NaN for anything else. */
function ipToInt(ip: string): number {
  return /^\d+\.\d+\.\d+\.\d+$/.test(ip) ? ip.split('.').reduce((n, o) => n * 256 + Number(o), 0) : NaN;
}
