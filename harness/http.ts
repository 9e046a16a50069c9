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
  /** Connection pool to send through; a series sizes its own for the requests it keeps in flight. */
  dispatcher?: Agent;
}

const DEFAULT_TIMEOUT_MS = 5_000;
/** Connections beyond the expected number in flight, so a burst never queues behind the pool. */
const POOL_HEADROOM = 8;

/** A pool for `inFlight` concurrent requests, each on its own connection (no keep-alive, no pipelining). */
const poolFor = (inFlight: number) => new Agent({ keepAliveTimeout: 1, pipelining: 0, connections: inFlight + POOL_HEADROOM });
const sharedAgent = poolFor(64);

/** One HTTP GET with a bounded timeout; never throws. */
export async function probe(url: string, o: ProbeOptions = {}, started = Date.now()): Promise<ProbeResult> {
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const sentAt = Date.now() - started;
  try {
    const res = await request(url, {
      method: 'GET',
      headers: { ...(o.host ? { host: o.host } : {}), connection: 'close' },
      dispatcher: o.dispatcher ?? sharedAgent,
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
 * bounded by `timeoutMs`. The connection pool holds every request that can be
 * in flight at once (rate × timeout), so none waits for a free connection.
 */
export async function probeSeries(url: string, o: SeriesOptions): Promise<ProbeResult[]> {
  return startProbeSeries(url, o).results;
}

export interface RunningSeries {
  /** Settles when the last request has been sent: the series' window is over. */
  sent: Promise<void>;
  /** Every request's result, once each has answered or timed out. */
  results: Promise<ProbeResult[]>;
}

/** `probeSeries`, for callers that go on when the window ends while its last requests are still answered. */
export function startProbeSeries(url: string, o: SeriesOptions): RunningSeries {
  const rate = o.rate ?? 2;
  const interval = 1000 / rate;
  const max = o.maxRequests ?? Math.ceil(o.durationMs / interval) + 1;
  const dispatcher = poolFor(Math.min(max, Math.ceil((rate * (o.timeoutMs ?? DEFAULT_TIMEOUT_MS)) / 1000) + 1));
  const started = Date.now();
  const inFlight: Promise<ProbeResult>[] = [];
  const sent = (async () => {
    for (let i = 0; i < max && i * interval < o.durationMs; i++) {
      const due = started + i * interval;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      inFlight.push(probe(url, { ...o, dispatcher }, started));
    }
  })();
  const results = sent.then(() => Promise.all(inFlight)).finally(() => dispatcher.close());
  return { sent, results };
}
