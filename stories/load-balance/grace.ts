// The agent's grace for reopened service connections, from its config map.
import type { Kube } from '../../harness/kube.ts';
import type { TimerFloor } from '../../harness/story.ts';

/** The cilium-config key, and the agent's default when the key is absent. */
export const SERVICE_GRACE_KEY = 'bpf-ct-timeout-service-tcp-grace';
export const DEFAULT_SERVICE_GRACE_MS = 60_000;
/** Past the grace: every port's entry has been closing for longer than the agent keeps its backend. */
export const GRACE_MARGIN_MS = 5_000;
/** The test that waits the grace out; the bench finds its floor by this name. */
export const STICKINESS_TEST = 'a reused source port gets a freshly chosen backend once the grace is over';
/** The stickiness test waits the grace out once (the agent's default here; a raised grace waits longer). */
export const GRACE_FLOOR: TimerFloor = { ms: DEFAULT_SERVICE_GRACE_MS + GRACE_MARGIN_MS, basis: `the agent's default service grace ${DEFAULT_SERVICE_GRACE_MS / 1000} s + ${GRACE_MARGIN_MS / 1000} s margin` };

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration as the agent prints it ("60s", "1m0s", "1m30s", "500ms"), in ms. */
export function parseGoDuration(text: string): number {
  const t = text.trim();
  if (t === '0') return 0;
  const parts = [...t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== t) throw new Error(`"${text}" is not a duration like 60s or 1m0s`);
  return parts.reduce((ms, p) => ms + Number(p[1]) * UNIT_MS[p[2]!]!, 0);
}

/** The grace in effect and where the value came from. */
export async function serviceGrace(kube: Kube): Promise<{ ms: number; source: string }> {
  const cfg = await kube.core.readNamespacedConfigMap({ namespace: 'kube-system', name: 'cilium-config' });
  const raw = cfg.data?.[SERVICE_GRACE_KEY];
  if (raw === undefined) return { ms: DEFAULT_SERVICE_GRACE_MS, source: `${SERVICE_GRACE_KEY} not set in cilium-config: the agent's default` };
  return { ms: parseGoDuration(raw), source: `cilium-config ${SERVICE_GRACE_KEY}=${raw}` };
}
