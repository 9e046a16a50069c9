import { lanesChart } from '../../harness/plot/lanes.ts';
import { PALETTE } from '../../harness/plot/svg.ts';
import { AUTH_URL_THRESHOLDS, type ProbeSample } from './classify.ts';

const LANES = ['2xx', '500', 'other', 'no answer'] as const;
const laneOf = (status: number) => (status >= 200 && status < 300 ? '2xx' : status === 500 ? '500' : status === 0 ? 'no answer' : 'other');
const COLOR = { '2xx': PALETTE.blue, '500': PALETTE.vermillion, other: PALETTE.orange, 'no answer': PALETTE.grey } as const;

/** Milliseconds after the old CoreDNS pods were gone. */
export interface ReloadTimes {
  /** `nginx -s reload` was sent. */
  reloadAtMs: number;
  /** The probe after the reload started (its samples' t counts from here), once the reload was in force. */
  probeFromMs: number;
  endMs: number;
}

/**
 * Status of every request after the old CoreDNS pods were gone (t = 0), then
 * of the requests after `nginx -s reload`.
 */
export function statusTimeline(title: string, afterRestart: readonly ProbeSample[], afterReload: readonly ProbeSample[], { reloadAtMs, probeFromMs, endMs }: ReloadTimes): string {
  const marks = [...afterRestart, ...afterReload.map((s) => ({ ...s, t: s.t + probeFromMs }))].map((s) => {
    const lane = laneOf(s.status);
    return { lane, t: s.t, color: COLOR[lane], title: `${(s.t / 1000).toFixed(1)} s: ${s.status === 0 ? 'no answer' : s.status}` };
  });
  return lanesChart({
    title,
    lanes: LANES,
    durationMs: endMs,
    marks,
    moments: [
      { t: 0, label: 'old CoreDNS pods gone' },
      { t: AUTH_URL_THRESHOLDS.cacheWindowMs, label: 'resolver cache window ends' },
      { t: reloadAtMs, label: 'nginx -s reload' },
    ],
    legend: LANES.map((l) => ({ label: l, color: COLOR[l] })),
  });
}
