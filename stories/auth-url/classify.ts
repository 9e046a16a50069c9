// Story A: auth-url 500s after a CoreDNS rollout (DESIGN.md §3 A).
import { fraction, is2xx, round } from '../../harness/stats.ts';
import type { Classification } from '../../harness/outcome.ts';

/** One probe of the auth-protected Ingress; status 0 means no HTTP response. */
export interface ProbeSample {
  /** ms relative to the moment the old CoreDNS pods were gone. */
  t: number;
  status: number;
}

export interface AuthUrlInput {
  samples: readonly ProbeSample[];
  /** Connected UDP sockets to port 53 in the nginx pod whose peer is no current endpoint. */
  staleSockets: number;
  /** nginx `resolver ... valid=30s`: before this, cached answers still work. */
  cacheWindowMs?: number;
}

/**
 * How long nginx caches a resolved name: the `valid=` of the plain-nginx
 * fixture's resolver line is filled from this, and ingress-nginx's template
 * writes the same 30 s. Until it runs out, cached answers hide a stale socket.
 */
export const RESOLVER_VALID_SECONDS = 30;

export const AUTH_URL_THRESHOLDS = {
  cacheWindowMs: RESOLVER_VALID_SECONDS * 1000,
  /** ~2 req/s over the 60 s after the window gives ~120; 20 still separates the outcomes. */
  minSamplesAfterWindow: 20,
  affectedNon2xxAbove: 0.5,
  healthy2xxAtLeast: 0.95,
} as const;

export function classifyAuthUrl(input: AuthUrlInput): Classification {
  const window = input.cacheWindowMs ?? AUTH_URL_THRESHOLDS.cacheWindowMs;
  const after = input.samples.filter((s) => s.t >= window);
  const ok = after.filter((s) => is2xx(s.status)).length;
  const non2xx = after.length - ok;
  const share2xx = fraction(ok, after.length);
  const firstFailure = after.find((s) => !is2xx(s.status));
  const figures: Classification['figures'] = {
    samplesAfterWindow: after.length,
    ok2xx: ok,
    non2xx,
    status500: after.filter((s) => s.status === 500).length,
    codes: codeCounts(after),
    share2xx: Number.isNaN(share2xx) ? 'n/a' : round(share2xx),
    staleSockets: input.staleSockets,
    cacheWindowMs: window,
    firstNon2xxAtMs: firstFailure?.t ?? 'none',
  };
  const pct = `${round(share2xx * 100, 1)}% 2xx`;
  if (after.length < AUTH_URL_THRESHOLDS.minSamplesAfterWindow) {
    return { outcome: 'inconclusive', reason: `only ${after.length} responses after the ${window / 1000} s cache window (need ${AUTH_URL_THRESHOLDS.minSamplesAfterWindow})`, figures };
  }
  if (share2xx >= AUTH_URL_THRESHOLDS.healthy2xxAtLeast) {
    const note = input.staleSockets > 0 ? `, although ${input.staleSockets} stale resolver socket(s) exist` : '';
    return { outcome: 'healthy', reason: `${pct} after the cache window${note}`, figures };
  }
  if (1 - share2xx > AUTH_URL_THRESHOLDS.affectedNon2xxAbove) {
    return input.staleSockets > 0
      ? { outcome: 'affected', reason: `${non2xx} of ${after.length} responses after the cache window were not 2xx and ${input.staleSockets} resolver socket(s) still target a gone CoreDNS pod`, figures }
      : { outcome: 'inconclusive', reason: `${non2xx} of ${after.length} responses failed but no stale resolver socket was seen: failing for another reason`, figures };
  }
  return { outcome: 'inconclusive', reason: `${pct} after the cache window: between the affected (<${AUTH_URL_THRESHOLDS.affectedNon2xxAbove * 100}% 2xx) and healthy (≥${AUTH_URL_THRESHOLDS.healthy2xxAtLeast * 100}%) thresholds`, figures };
}

/** True when the codes end in a run of at least `minRun` 2xx (the first request after a reload may still fail). */
export function healedAfterReload(codes: readonly number[], minRun = 5): boolean {
  let run = 0;
  for (let i = codes.length - 1; i >= 0 && is2xx(codes[i] ?? 0); i--) run++;
  return run >= minRun;
}

/** `500:21 no-answer:3`: the status codes after the window, by count (status 0 is a request that got no HTTP answer). */
function codeCounts(samples: readonly ProbeSample[]): string {
  const counts = new Map<string, number>();
  for (const s of samples) {
    const key = s.status === 0 ? 'no-answer' : String(s.status);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}:${n}`).join(' ') || 'none';
}
