// Parser for `conntrack -S`: one line of key=value counters per CPU.

/** Counter name → sum over CPUs, e.g. { invalid: 15, insert_failed: 0, drop: 0, ... }. */
export type ConntrackCounters = Record<string, number>;

export function parseConntrackStats(text: string): { cpus: number; totals: ConntrackCounters } {
  const totals: ConntrackCounters = {};
  let cpus = 0;
  for (const line of text.split('\n')) {
    if (!/^\s*cpu=\d+/.test(line)) continue;
    cpus++;
    for (const [, key = '', value = ''] of line.matchAll(/(\w+)=(\d+)/g)) {
      if (key !== 'cpu') totals[key] = (totals[key] ?? 0) + Number(value);
    }
  }
  return { cpus, totals };
}

/** Per-counter increase from `before` to `after` (both totals). */
export function conntrackDelta(before: ConntrackCounters, after: ConntrackCounters): ConntrackCounters {
  const delta: ConntrackCounters = {};
  for (const [key, value] of Object.entries(after)) delta[key] = value - (before[key] ?? 0);
  return delta;
}
