// Story A: auth-url 500s after a CoreDNS rollout (README.md beside this file).
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

/**
 * How long nginx waits for its resolver before it gives up on a name and the
 * auth subrequest fails with 500: nginx's default `resolver_timeout`, which
 * ingress-nginx's template and the plain-nginx fixture both keep.
 */
export const NGINX_RESOLVER_TIMEOUT_SECONDS = 30;
/** A probe waits this much longer than the resolver, so nginx's 500 arrives before the probe gives up. */
const PROBE_MARGIN_SECONDS = 10;
export const PROBE_TIMEOUT_MS = (NGINX_RESOLVER_TIMEOUT_SECONDS + PROBE_MARGIN_SECONDS) * 1000;

/** nginx's error-log line for a name its resolver could not resolve in time. */
const RESOLVER_TIMEOUT_LINE = /could not be resolved \(110: Operation timed out\)/;

/** The resolver-timeout lines of an nginx error log (evidence that the 500s come from the stale resolver socket). */
export function countResolverTimeouts(log: string): { count: number; lines: string[] } {
  const lines = log.split('\n').filter((l) => RESOLVER_TIMEOUT_LINE.test(l));
  return { count: lines.length, lines };
}

export const AUTH_URL_THRESHOLDS = {
  cacheWindowMs: RESOLVER_VALID_SECONDS * 1000,
  /** ~2 req/s over the 60 s after the window gives ~120; 20 still separates the outcomes. */
  minSamplesAfterWindow: 20,
  /** Affected: more than half the requests after the window answered 500 (the seed's symptom). */
  affected500Above: 0.5,
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
    share500: after.length ? round(fraction(after.filter((s) => s.status === 500).length, after.length)) : 'n/a',
    codes: codeCounts(after),
    share2xx: Number.isNaN(share2xx) ? 'n/a' : round(share2xx),
    staleSockets: input.staleSockets,
    cacheWindowMs: window,
    firstNon2xxAtMs: firstFailure?.t ?? 'none',
  };
  const pct = `${round(share2xx * 100, 1)}% 2xx`;
  const n500 = after.filter((s) => s.status === 500).length;
  const noAnswer = after.filter((s) => s.status === 0).length;
  const { minSamplesAfterWindow, healthy2xxAtLeast, affected500Above } = AUTH_URL_THRESHOLDS;
  if (after.length < minSamplesAfterWindow) {
    return { outcome: 'inconclusive', reason: `only ${after.length} responses after the ${window / 1000} s cache window (need ${minSamplesAfterWindow})`, figures };
  }
  if (share2xx >= healthy2xxAtLeast) {
    const note = input.staleSockets > 0 ? `, although ${input.staleSockets} stale resolver socket(s) exist` : '';
    return { outcome: 'healthy', reason: `${pct} after the cache window${note}`, figures };
  }
  if (fraction(n500, after.length) > affected500Above) {
    return input.staleSockets > 0
      ? { outcome: 'affected', reason: `${n500} of ${after.length} responses after the cache window were 500 and ${input.staleSockets} resolver socket(s) still target a gone CoreDNS pod`, figures }
      : { outcome: 'inconclusive', reason: `${n500} of ${after.length} responses were 500 but no stale resolver socket was seen: failing for another reason`, figures };
  }
  if (fraction(noAnswer, after.length) > affected500Above) {
    return { outcome: 'inconclusive', reason: `${noAnswer} of ${after.length} requests got no HTTP answer at all: nginx's 500 after its ${NGINX_RESOLVER_TIMEOUT_SECONDS} s resolver timeout never came`, figures };
  }
  return { outcome: 'inconclusive', reason: `${pct}, ${n500} × 500 after the cache window: neither ≥${healthy2xxAtLeast * 100}% 2xx (healthy) nor >${affected500Above * 100}% 500 (affected)`, figures };
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
