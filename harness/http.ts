import { Agent, request } from 'undici';

export interface ProbeResult {
  /** Milliseconds from the start of the probe series to when this request was sent. */
  t: number;
  status: number | 'error';
  body?: string;
  error?: string;
}

export interface ProbeOptions {
  /** Host header to send (like curl --resolve), when the URL's address is not the virtual host. */
  host?: string;
  timeoutMs?: number;
}

const agent = new Agent({ keepAliveTimeout: 1, pipelining: 0, connections: 64 });

/** One HTTP GET with a bounded timeout; never throws. */
export async function probe(url: string, o: ProbeOptions = {}, started = Date.now()): Promise<ProbeResult> {
  const timeoutMs = o.timeoutMs ?? 5_000;
  const sentAt = Date.now() - started;
  try {
    const res = await request(url, {
      method: 'GET',
      headers: { ...(o.host ? { host: o.host } : {}), connection: 'close' },
      dispatcher: agent,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await res.body.text();
    return { t: sentAt, status: res.statusCode, body: body.slice(0, 200) };
  } catch (e) {
    return { t: sentAt, status: 'error', error: (e as Error).message };
  }
}

export interface SeriesOptions extends ProbeOptions {
  /** Requests per second; default 2. */
  rate?: number;
  /** Total duration; bounded by `maxRequests` as well. */
  durationMs: number;
  maxRequests?: number;
}

/**
 * A bounded, open-loop probe series: request i is sent at i / rate seconds
 * whether or not earlier ones have answered, so a hanging backend lowers no
 * sample count. At most `maxRequests`, all sent within `durationMs`, each
 * bounded by `timeoutMs`.
 */
export async function probeSeries(url: string, o: SeriesOptions): Promise<ProbeResult[]> {
  const interval = 1000 / (o.rate ?? 2);
  const max = o.maxRequests ?? Math.ceil(o.durationMs / interval) + 1;
  const started = Date.now();
  const inFlight: Promise<ProbeResult>[] = [];
  for (let i = 0; i < max && i * interval < o.durationMs; i++) {
    const due = started + i * interval;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    inFlight.push(probe(url, o, started));
  }
  return Promise.all(inFlight);
}
