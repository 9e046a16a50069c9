// Reads the log of manifests/udp-client.pl: one JSON object per attempt.
import { finish, SkipCounter, type Parsed } from '../../harness/parse/result.ts';

/** `refused`: an ICMP port-unreachable reported on the socket (ECONNREFUSED); the client keeps the socket. */
export type AttemptResult = 'reply' | 'timeout' | 'refused' | 'error';

/** One datagram the client sent and what came of it. */
export interface Attempt {
  /** Epoch ms when the datagram was sent. */
  t: number;
  seq: number;
  /** Which socket sent it: 1 for the first, +1 each time the client had to open a new one. */
  sock: number;
  lport: number;
  result: AttemptResult;
  /** The backend's hostname (the pod's name), for a reply. */
  reply?: string;
  from?: string;
  error?: string;
}

const WHAT = 'udp-client.pl log';
const RESULTS = new Set<AttemptResult>(['reply', 'timeout', 'refused', 'error']);

function asAttempt(value: unknown): Attempt | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const numbers = ['t', 'seq', 'sock', 'lport'].every((k) => typeof v[k] === 'number' && Number.isInteger(v[k]));
  if (!numbers || !RESULTS.has(v.result as AttemptResult)) return undefined;
  if (v.result === 'reply' && typeof v.reply !== 'string') return undefined;
  if ((v.result === 'error' || v.result === 'refused') && typeof v.error !== 'string') return undefined;
  return v as unknown as Attempt;
}

/** Attempt lines in order; other lines are counted as skipped; a log with lines but no attempt is an error. */
export function parseClientLog(text: string): Parsed<Attempt> {
  const counter = new SkipCounter();
  const attempts: Attempt[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let attempt: Attempt | undefined;
    try {
      attempt = asAttempt(JSON.parse(line));
    } catch {
      attempt = undefined;
    }
    if (attempt) attempts.push(attempt);
    else counter.skip(line);
  }
  return finish(WHAT, text, attempts, counter);
}

/** The fillers' summary lines (one per process), added up: how many fresh sockets sent. */
export function parseFillerLog(text: string): { filled: number; failed: number; processes: number } {
  const total = { filled: 0, failed: 0, processes: 0 };
  for (const line of text.split('\n')) {
    try {
      const v = JSON.parse(line) as { filled?: unknown; failed?: unknown };
      if (typeof v.filled !== 'number' || typeof v.failed !== 'number') continue;
      total.filled += v.filled;
      total.failed += v.failed;
      total.processes++;
    } catch {
      // not a summary line
    }
  }
  if (total.processes === 0) throw new Error(`filler log: no {"filled":N,"failed":M} line in ${JSON.stringify(text.slice(0, 200))}`);
  return total;
}
