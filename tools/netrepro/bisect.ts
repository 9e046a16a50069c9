// netrepro bisect: the search itself, apart from building and running (run-bisect.ts).
import semver from 'semver';

/** What one version read for the case: its outcome, or why there is none. */
export interface Probe {
  version: string;
  outcome: 'healthy' | 'affected' | 'inconclusive' | 'unknown';
  /** The classifier's reason, or why the run gave no outcome. */
  reason: string;
}

export interface BisectResult {
  /** The last version with the good end's outcome and the first without it; absent when the ends agree or a probe failed them. */
  lastSame?: Probe;
  firstDifferent?: Probe;
  /** Every version probed, in the order probed. */
  probed: Probe[];
  /** Versions left out because they gave no outcome (skipped, like git bisect skip). */
  skipped: Probe[];
  /** One line: the answer, or why there is none. */
  summary: string;
}

const decided = (p: Probe) => p.outcome === 'healthy' || p.outcome === 'affected';

/** Candidate versions between good and bad (both included), in release order. */
export function between(versions: readonly string[], good: string, bad: string): string[] {
  const [lo, hi] = semver.lt(good, bad) ? [good, bad] : [bad, good];
  return [...new Set(versions)].filter((v) => semver.gte(v, lo) && semver.lte(v, hi)).sort(semver.compare);
}

/**
 * Binary search over `ordered` (oldest first: releases from `between`, or
 * commits) for the first one whose outcome differs from the oldest's. Both
 * ends are probed first and must disagree. One without an outcome
 * (inconclusive, no run) is skipped and the search goes on without it.
 * `probe` is called once per entry at most; `unit` names them in the summary.
 */
export async function bisect(ordered: readonly string[], probe: (v: string) => Promise<Probe>, unit: 'release' | 'commit' = 'release'): Promise<BisectResult> {
  const probed: Probe[] = [];
  const skipped: Probe[] = [];
  const seen = new Map<string, Probe>();
  const read = async (v: string) => {
    const known = seen.get(v);
    if (known) return known;
    const p = await probe(v);
    seen.set(v, p);
    probed.push(p);
    return p;
  };
  const list = [...ordered];
  const [older, newer] = [list[0]!, list[list.length - 1]!];
  const olderEnd = await read(older);
  const newerEnd = await read(newer);
  for (const end of [olderEnd, newerEnd]) {
    if (!decided(end)) return { probed, skipped, summary: `${end.version} gave no outcome to search from (${end.outcome}: ${end.reason})` };
  }
  if (olderEnd.outcome === newerEnd.outcome) {
    return { probed, skipped, summary: `${older} and ${newer} are both ${olderEnd.outcome}: nothing changes between them` };
  }
  let lo = 0;
  let hi = list.length - 1;
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const p = await read(list[mid]!);
    if (!decided(p)) {
      skipped.push(p);
      list.splice(mid, 1);
      hi -= 1;
    } else if (p.outcome === olderEnd.outcome) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  const lastSame = seen.get(list[lo]!)!;
  const firstDifferent = seen.get(list[hi]!)!;
  const gap = skipped.length ? ` (no outcome from ${skipped.map((s) => s.version).join(', ')})` : '';
  return {
    lastSame, firstDifferent, probed, skipped,
    summary: `first ${firstDifferent.outcome} ${unit}: ${firstDifferent.version}; last ${lastSame.outcome}: ${lastSame.version}${gap}`,
  };
}
