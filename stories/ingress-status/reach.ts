import { probe } from '../../harness/http.ts';

/** One request to an Ingress through the address its status advertised at that moment. */
export interface AdvertisedRequest {
  t: number;
  ingress: string;
  address: string;
  /** HTTP status, or 0 when no answer came (refused, timed out), or -1 when the address is off the kind network and was not asked. */
  status: number;
}

/** Status of a request that was not sent: the address is not on this machine's kind network. */
export const NOT_SENT = -1;

/** How often each Ingress is asked, and how long one request may take. */
export const REACH = { intervalMs: 2_000, timeoutMs: 1_500 } as const;

/**
 * What a client that follows the advertised status sees: every `intervalMs`
 * for `durationMs` (so at most durationMs / intervalMs rounds), one GET per
 * Ingress to the first address its status lists now. Addresses are the
 * MetalLB pool on the kind network or kind node IPs; any other address is
 * recorded as not sent (`NOT_SENT`), never asked.
 */
export async function requestThroughAdvertised(current: () => ReadonlyMap<string, readonly string[]>, durationMs: number, onKindNetwork: (ip: string) => boolean): Promise<AdvertisedRequest[]> {
  const started = Date.now();
  const out: AdvertisedRequest[] = [];
  for (let round = 0; round * REACH.intervalMs < durationMs; round++) {
    const due = started + round * REACH.intervalMs;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    const sent = [...current()].filter(([, addresses]) => addresses.length > 0).map(async ([ingress, addresses]) => {
      const address = addresses[0]!;
      if (!onKindNetwork(address)) return void out.push({ t: Date.now() - started, ingress, address, status: NOT_SENT });
      const r = await probe(`http://${address}/`, { timeoutMs: REACH.timeoutMs });
      out.push({ t: Date.now() - started, ingress, address, status: r.status === 'error' ? 0 : r.status });
    });
    await Promise.all(sent);
  }
  return out;
}

const ok = (r: AdvertisedRequest) => r.status >= 200 && r.status < 300;

/**
 * Per Ingress, from its first 2xx on (before it, the controller may still be
 * loading the new Ingress): requests sent and how many got no 2xx. An Ingress
 * that never answered counts every request as failed.
 */
export function failedByIngress(requests: readonly AdvertisedRequest[]): Map<string, { sent: number; failed: number }> {
  const by = new Map<string, { sent: number; failed: number }>();
  const answered = new Set(requests.filter(ok).map((r) => r.ingress));
  const started = new Set<string>();
  for (const r of [...requests].sort((a, b) => a.t - b.t)) {
    if (answered.has(r.ingress) && !started.has(r.ingress)) {
      if (!ok(r)) continue;
      started.add(r.ingress);
    }
    const e = by.get(r.ingress) ?? { sent: 0, failed: 0 };
    e.sent++;
    if (!ok(r)) e.failed++;
    by.set(r.ingress, e);
  }
  return by;
}
