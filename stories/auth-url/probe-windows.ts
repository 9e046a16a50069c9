import type { TimerFloor } from '../../harness/story.ts';
import { PROBE_TIMEOUT_MS, RESOLVER_VALID_SECONDS } from './classify.ts';

/**
 * 2 requests/s for 90 s after the old CoreDNS pods are gone; each may take as
 * long as nginx's resolver timeout and then some, so a request that nginx
 * answers with 500 after its resolver gave up is recorded as that 500.
 */
export const PROBE = { rate: 2, durationMs: 90_000, maxRequests: 200, timeoutMs: PROBE_TIMEOUT_MS } as const;
export const BASELINE = { durationMs: 15_000, maxRequests: 10 } as const;
export const AFTER_RELOAD = { durationMs: 20_000, maxRequests: 30 } as const;

/** A window ends at its duration or when its requests are sent at the probe's rate, whichever comes first. */
const windowMs = (w: { durationMs: number; maxRequests: number }) => Math.min(w.durationMs, (w.maxRequests / PROBE.rate) * 1000);

/** Every case's test probes the baseline, the window after the restart (which holds nginx's cache window) and the reload. */
export const PROBE_FLOOR: TimerFloor = {
  ms: windowMs(BASELINE) + PROBE.durationMs + windowMs(AFTER_RELOAD),
  basis: `baseline ${windowMs(BASELINE) / 1000} s + probe ${PROBE.durationMs / 1000} s (holds the ${RESOLVER_VALID_SECONDS} s cache window) + after reload ${windowMs(AFTER_RELOAD) / 1000} s`,
};
