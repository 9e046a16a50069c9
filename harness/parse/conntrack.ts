// Parser for `conntrack -S`, in the forms conntrack-tools prints:
//  - per CPU, one line of key=value counters (`cpu=0   \tfound=0 invalid=4 ...`), from netlink
//    (1.4.5+), or from /proc/net/stat/nf_conntrack when netlink is refused (then with `entries=`);
//  - one counter per line (`entries   \t\t90`), conntrack-tools up to 1.4.4, read from
//    /proc/net/stat/nf_conntrack. That code reads only the first data line of the file, so
//    these are CPU 0's counters (and the table size), not totals.
// A `conntrack v1.4.x (conntrack-tools): ...` line is the tool reporting a failure (exit 1),
// e.g. `Operation failed: ... CAP_NET_ADMIN ...` after, or instead of, the counters.
import { finish, parseCount, quoteLine, SkipCounter, UnrecognisedInput, type Parsed } from './result.ts';

/** Counter name → value, e.g. { invalid: 15, insert_failed: 0, drop: 0, ... }. */
export type ConntrackCounters = Record<string, number>;

/** One recognised line: a CPU's counters, or one counter of the one-per-line form. */
export interface ConntrackStatsLine {
  /** Undefined for the one-counter-per-line form. */
  cpu?: number;
  counters: ConntrackCounters;
}

export interface ConntrackStats extends Parsed<ConntrackStatsLine> {
  /** Undefined for empty input. */
  form?: 'per-cpu' | 'one-per-line';
  /** Number of `cpu=N` lines; 0 for the one-counter-per-line form, which does not say. */
  cpus: number;
  /**
   * Counters summed over the CPU lines, except `entries` (the table size, the same on every
   * line); for the one-per-line form, the values as printed.
   */
  totals: ConntrackCounters;
  /** The tool's own error line, when it printed one with the counters (it also exits 1). */
  toolError?: string;
}

const WHAT = 'conntrack -S output';
const TOOL_MESSAGE = /^conntrack v\S+ \(conntrack-tools\): /;
const CPU_LINE = /^cpu=(\S*)(?:\s+(.*))?$/;
const COUNTER_TOKEN = /^([A-Za-z_]\w*)=(.*)$/;
const ONE_PER_LINE = /^([a-z][a-z_]*)\s+(\S+)$/;
// Column names of /proc/net/stat/nf_conntrack that conntrack-tools ≤ 1.4.4 printed one per line.
const PROC_COLUMNS = new Set([
  'entries', 'clashres', 'searched', 'found', 'new', 'invalid', 'ignore', 'delete', 'delete_list', 'chainlength',
  'insert', 'insert_failed', 'drop', 'early_drop', 'icmp_error', 'expect_new', 'expect_create',
  'expect_delete', 'search_restart',
]);
// The table size: printed on each CPU line, not a per-CPU counter.
const NOT_SUMMED = new Set(['entries']);

export function parseConntrackStats(text: string): ConntrackStats {
  const records: ConntrackStatsLine[] = [];
  const counter = new SkipCounter();
  const totals: ConntrackCounters = {};
  const forms = new Set<'per-cpu' | 'one-per-line'>();
  let toolError: string | undefined;

  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const cpuLine = CPU_LINE.exec(trimmed);
    if (cpuLine) {
      const cpu = parseCount(cpuLine[1] ?? '', `${WHAT}: cpu in "${quoteLine(line)}"`);
      const tokens = (cpuLine[2] ?? '').split(/\s+/).filter(Boolean);
      if (tokens.length === 0) throw new Error(`${WHAT}: a CPU line without counters (cut short?): "${quoteLine(line)}"`);
      const counters: ConntrackCounters = {};
      for (const token of tokens) {
        const kv = COUNTER_TOKEN.exec(token);
        if (!kv) throw new Error(`${WHAT}: "${quoteLine(token)}" is not name=value (line cut short?): "${quoteLine(line)}"`);
        const [, key = '', value = ''] = kv;
        counters[key] = parseCount(value, `${WHAT}: ${key} in "${quoteLine(line)}"`);
      }
      for (const [key, value] of Object.entries(counters)) {
        totals[key] = NOT_SUMMED.has(key) ? Math.max(totals[key] ?? 0, value) : (totals[key] ?? 0) + value;
      }
      records.push({ cpu, counters });
      forms.add('per-cpu');
      continue;
    }
    const single = ONE_PER_LINE.exec(trimmed);
    if (single && (PROC_COLUMNS.has(single[1] ?? '') || /^\d+$/.test(single[2] ?? ''))) {
      const [, key = '', value = ''] = single;
      if (key in totals) throw new Error(`${WHAT}: counter "${key}" printed twice (two readings in one text?)`);
      totals[key] = parseCount(value, `${WHAT}: ${key}`);
      records.push({ counters: { [key]: totals[key] } });
      forms.add('one-per-line');
      continue;
    }
    if (TOOL_MESSAGE.test(trimmed)) toolError ??= trimmed;
    counter.skip(line);
  }

  if (forms.size > 1) throw new Error(`${WHAT}: mixes per-CPU lines and one-counter-per-line lines`);
  if (records.length === 0 && toolError !== undefined) {
    // Only the tool's complaint: quote it rather than whatever line came first.
    throw new UnrecognisedInput(WHAT, toolError, text.split('\n').filter((l) => l.trim() !== '').length);
  }
  const parsed = finish(WHAT, text, records, counter);
  const [form] = forms;
  const stats: ConntrackStats = { ...parsed, cpus: records.filter((r) => r.cpu !== undefined).length, totals };
  if (form !== undefined) stats.form = form;
  if (toolError !== undefined) stats.toolError = toolError;
  return stats;
}

/** Per-counter increase from `before` to `after` (both totals). */
export function conntrackDelta(before: ConntrackCounters, after: ConntrackCounters): ConntrackCounters {
  const delta: ConntrackCounters = {};
  for (const [key, value] of Object.entries(after)) delta[key] = value - (before[key] ?? 0);
  return delta;
}
