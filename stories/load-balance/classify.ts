// Story D: uneven load and 5xx with CiliumNetworkPolicy (README.md beside this file).
import { CHI2_CRITICAL_P001, chiSquareUniform, fraction, is2xx, round } from '../../harness/stats.ts';
import type { Classification } from '../../harness/outcome.ts';

export interface LoadBalanceInput {
  /** Every backend that should receive traffic, including ones that got none. */
  backends: readonly string[];
  /** Backend name (as the backend reports itself) → requests it answered. */
  hits: Readonly<Record<string, number>>;
  /** Status of every request sent; 0 for no response. */
  statuses: readonly number[];
}

export const LOAD_BALANCE_THRESHOLDS = { minRequests: 300, min2xx: 0.99, minBackendShare: 0.25 } as const;

export function classifyLoadBalance(input: LoadBalanceInput): Classification {
  const total = input.statuses.length;
  const ok = input.statuses.filter(is2xx).length;
  const counts = input.backends.map((b) => input.hits[b] ?? 0);
  const answered = counts.reduce((a, b) => a + b, 0);
  const figures: Classification['figures'] = { requests: total, share2xx: round(fraction(ok, total)) };
  input.backends.forEach((b, i) => (figures[`hits:${b}`] = counts[i] ?? 0));
  if (total < LOAD_BALANCE_THRESHOLDS.minRequests) {
    return { outcome: 'inconclusive', reason: `only ${total} requests (need ${LOAD_BALANCE_THRESHOLDS.minRequests})`, figures };
  }
  const failing: string[] = [];
  if (answered === 0) {
    failing.push('no backend answered');
  } else {
    const { statistic, df } = chiSquareUniform(counts);
    const critical = CHI2_CRITICAL_P001[df];
    if (critical === undefined) throw new RangeError(`no chi-square critical value for df=${df} (${input.backends.length} backends)`);
    figures.chiSquare = round(statistic);
    figures.chiSquareCritical = critical;
    if (statistic >= critical) failing.push(`chi-square ${round(statistic, 1)} ≥ ${critical} (df ${df})`);
    const starved = input.backends.filter((_, i) => fraction(counts[i] ?? 0, answered) < LOAD_BALANCE_THRESHOLDS.minBackendShare);
    if (starved.length > 0) failing.push(`backend share below 25%: ${starved.join(', ')}`);
  }
  if (fraction(ok, total) < LOAD_BALANCE_THRESHOLDS.min2xx) failing.push(`${round(fraction(ok, total) * 100, 1)}% 2xx < 99%`);
  return failing.length > 0
    ? { outcome: 'affected', reason: failing.join('; '), figures }
    : { outcome: 'healthy', reason: `even spread over ${input.backends.length} backends, ${round(fraction(ok, total) * 100, 1)}% 2xx`, figures };
}

/** Which backend answered a source port in round 1 and, after reuse, in round 2. */
export interface PortRound {
  port: number;
  first: string;
  second: string;
}

export const STICKINESS_THRESHOLDS = { minPorts: 100, affectedSameAbove: 0.8, healthySameBelow: 0.6 } as const;

export function classifyStickiness(rounds: readonly PortRound[]): Classification {
  const answered = rounds.filter((r) => r.first !== '' && r.second !== '');
  const same = answered.filter((r) => r.first === r.second).length;
  const share = fraction(same, answered.length);
  const figures = { ports: rounds.length, answeredBothRounds: answered.length, sameBackend: same, sameShare: Number.isNaN(share) ? 'n/a' : round(share) };
  if (answered.length < STICKINESS_THRESHOLDS.minPorts) {
    return { outcome: 'inconclusive', reason: `only ${answered.length} ports answered in both rounds (need ${STICKINESS_THRESHOLDS.minPorts})`, figures };
  }
  const pct = `${round(share * 100, 1)}% of reused ports reached the same backend`;
  if (share > STICKINESS_THRESHOLDS.affectedSameAbove) return { outcome: 'affected', reason: `${pct} (> 80%)`, figures };
  if (share < STICKINESS_THRESHOLDS.healthySameBelow) return { outcome: 'healthy', reason: `${pct} (< 60%; ≈33% expected)`, figures };
  return { outcome: 'inconclusive', reason: `${pct}: between 60% and 80%`, figures };
}
