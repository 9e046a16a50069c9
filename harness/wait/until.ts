import { POLL_INTERVAL_MS, ROUTE_READY_MS } from '../timeouts.ts';
export interface UntilOptions {
  /** Give up after this long. Default 120 s. */
  timeoutMs?: number;
  /** Poll this often. Default 1 s. */
  intervalMs?: number;
}

/**
 * Polls `probe` until it returns a value other than undefined. Errors thrown by
 * the probe count as "not yet" and their message is reported on timeout, with
 * what was awaited and the last state seen.
 */
export async function until<T>(
  awaited: string,
  probe: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = ROUTE_READY_MS, intervalMs = POLL_INTERVAL_MS }: UntilOptions = {},
  describeLast: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      last = describeLast();
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${awaited}${last ? ` (last seen: ${last})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
  }
}
