import { ciliumMinor } from '../../config/versions.ts';
import { NO_CILIUM } from './cells.ts';
import { RED, YELLOW, type MatrixEntry, type MatrixReport } from './report.ts';

/** A shields.io endpoint badge: https://shields.io/badges/endpoint-badge */
export interface EndpointBadge {
  schemaVersion: 1;
  label: string;
  message: string;
  color: 'brightgreen' | 'red' | 'yellow' | 'lightgrey';
}

/**
 * One badge over a set of entries. Red when any case regressed (or was
 * otherwise not as expected); yellow when none did but some were
 * inconclusive, look fixed upstream, or their cell failed before concluding
 * them; green when every concluded case matched its expectation (cases
 * without an expectation count as observed, not as failures); grey when
 * nothing concluded.
 */
export function badgeFor(label: string, entries: readonly MatrixEntry[]): EndpointBadge {
  const counted = entries.filter((e) => e.verdict !== 'not-run');
  const n = (pred: (e: MatrixEntry) => boolean) => counted.filter(pred).length;
  const red = n((e) => RED.includes(e.verdict));
  const yellow = n((e) => YELLOW.includes(e.verdict));
  const asExpected = n((e) => e.verdict === 'as-expected');
  const observed = n((e) => e.verdict === 'observed-only');
  if (counted.length === 0) return { schemaVersion: 1, label, message: 'no data', color: 'lightgrey' };
  if (red > 0) {
    const regressions = n((e) => e.verdict === 'regression');
    const message = regressions > 0 ? `${regressions} regression${regressions > 1 ? 's' : ''}` : `${red} unexpected`;
    return { schemaVersion: 1, label, message, color: 'red' };
  }
  if (yellow > 0) {
    const parts = (
      [
        ['fixed-upstream', 'fixed upstream?'],
        ['inconclusive', 'inconclusive'],
        ['no-outcome', 'no outcome'],
      ] as const
    )
      .map(([v, word]) => [n((e) => e.verdict === v), word] as const)
      .filter(([k]) => k > 0)
      .map(([k, word]) => `${k} ${word}`);
    return { schemaVersion: 1, label, message: parts.join(', '), color: 'yellow' };
  }
  const judged = counted.length - observed;
  const message = judged > 0 ? `${asExpected}/${judged} as expected${observed ? `, ${observed} observed` : ''}` : `${observed} observed`;
  return { schemaVersion: 1, label, message, color: 'brightgreen' };
}

/**
 * Every badge of a report, by file name: `story-<story>.json` for each story,
 * `cilium-<minor>.json` for each pinned Cilium version in the report, and
 * `overall.json` over everything (not `matrix.json`: the badges branch also holds the report of that name).
 */
export function reportBadges(report: MatrixReport): Record<string, EndpointBadge> {
  const out: Record<string, EndpointBadge> = {};
  const stories = [...new Set(report.entries.map((e) => e.story))];
  for (const story of stories) out[`story-${story}.json`] = badgeFor(story, report.entries.filter((e) => e.story === story));
  const versions = [...new Set(report.cells.map((c) => c.cell.ciliumVersion ?? NO_CILIUM))].filter((v) => v !== NO_CILIUM);
  // Named by minor so the README's badge links survive a patch bump.
  for (const v of versions) out[`cilium-${ciliumMinor(v)}.json`] = badgeFor(`cilium ${v}`, report.entries.filter((e) => e.cilium === v));
  out['overall.json'] = badgeFor('netrepro matrix', report.entries);
  return out;
}
