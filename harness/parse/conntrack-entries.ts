// Parser for `conntrack -L` (conntrack-tools): one flow per line, e.g.
//   udp      17 30 src=10.11.4.5 dst=10.12.201.0 sport=48931 dport=8125 [UNREPLIED] src=10.11.4.22 dst=10.11.4.5 sport=8125 dport=48931 mark=0 use=1
// protocol name and number, seconds left, a TCP state word, then the original tuple, flags, the
// reply tuple (whose src is where a DNAT sent the flow) and extra key=values (mark, zone, secctx, use).
// The tool's own `conntrack v1.4.x (conntrack-tools): N flow entries have been shown.` line is read as the count.
import { finish, parseCount, SkipCounter, type Parsed } from './result.ts';

export interface Tuple {
  src: string;
  dst: string;
  sport?: number;
  dport?: number;
}

export interface ConntrackEntry {
  protocol: string;
  secondsLeft: number;
  state?: string;
  original: Tuple;
  reply: Tuple;
  unreplied: boolean;
  assured: boolean;
}

export interface ConntrackEntries extends Parsed<ConntrackEntry> {
  /** The count the tool printed in its summary line, when that line was in the input. */
  reportedCount?: number;
}

const WHAT = 'conntrack -L output';
const SUMMARY = /^conntrack v\S+ \(conntrack-tools\): (\d+) flow entries have been (?:shown|deleted)\.$/;
const HEAD = /^([a-z0-9]+)\s+(\d+)\s+(\d+)\s+(?:([A-Z_]+)\s+)?(src=.*)$/;
const TUPLE_KEYS = ['src', 'dst', 'sport', 'dport'] as const;

function readTuples(rest: string): { tuples: Tuple[]; flags: Set<string> } | undefined {
  const tuples: Array<Partial<Record<(typeof TUPLE_KEYS)[number], string>>> = [];
  const flags = new Set<string>();
  for (const token of rest.split(/\s+/)) {
    const flag = /^\[([A-Z_]+)\]$/.exec(token);
    if (flag) {
      flags.add(flag[1]!);
      continue;
    }
    const [key, value] = token.split('=', 2) as [string, string | undefined];
    if (value === undefined) return undefined;
    if (key === 'src') tuples.push({});
    if ((TUPLE_KEYS as readonly string[]).includes(key) && tuples.length > 0) tuples[tuples.length - 1]![key as (typeof TUPLE_KEYS)[number]] = value;
  }
  if (tuples.length !== 2 || tuples.some((t) => !t.src || !t.dst)) return undefined;
  return {
    flags,
    tuples: tuples.map((t) => ({
      src: t.src!, dst: t.dst!,
      ...(t.sport !== undefined ? { sport: parseCount(t.sport, 'sport') } : {}),
      ...(t.dport !== undefined ? { dport: parseCount(t.dport, 'dport') } : {}),
    })),
  };
}

/** Throws `UnrecognisedInput` when the input has lines but none is a flow or the tool's summary. */
export function parseConntrackEntries(text: string): ConntrackEntries {
  const counter = new SkipCounter();
  const entries: ConntrackEntry[] = [];
  let reportedCount: number | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const summary = SUMMARY.exec(line);
    if (summary) {
      reportedCount = parseCount(summary[1]!, 'flow entries');
      continue;
    }
    const head = HEAD.exec(line);
    const read = head ? readTuples(head[5]!) : undefined;
    if (!head || !read) {
      counter.skip(raw);
      continue;
    }
    entries.push({
      protocol: head[1]!,
      secondsLeft: parseCount(head[3]!, 'seconds left'),
      ...(head[4] ? { state: head[4] } : {}),
      original: read.tuples[0]!,
      reply: read.tuples[1]!,
      unreplied: read.flags.has('UNREPLIED'),
      assured: read.flags.has('ASSURED'),
    });
  }
  if (entries.length === 0 && counter.skipped.count === 0) return { records: [], skipped: counter.skipped, ...(reportedCount !== undefined ? { reportedCount } : {}) };
  return { ...finish(WHAT, text, entries, counter), ...(reportedCount !== undefined ? { reportedCount } : {}) };
}

/** The flows to `serviceIp` that a DNAT sent to `backendIp` (the reply comes from the backend). */
export function flowsTranslatedTo(entries: readonly ConntrackEntry[], serviceIp: string, backendIp: string): ConntrackEntry[] {
  return entries.filter((e) => e.original.dst === serviceIp && e.reply.src === backendIp);
}
