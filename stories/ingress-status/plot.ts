import { lanesChart, type LaneMark, type LaneSpan } from '../../harness/plot/lanes.ts';
import { PALETTE } from '../../harness/plot/svg.ts';
import type { AdvertisedRequest } from './reach.ts';
import { classifyAddresses, type AddressClasses, type StatusTimeline } from './timeline.ts';

const CLASS_COLOR = { LB: PALETTE.blue, NODE: PALETTE.orange, OTHER: PALETTE.purple, none: PALETTE.grey } as const;

/**
 * Each Ingress's advertised address over the watch as a lane coloured LB /
 * NODE, like `kubectl get ingress -w` drawn; the requests that followed the
 * status are ticks (green answered, vermillion failed) on the lane below it.
 */
export function advertisedTimeline(
  title: string,
  timeline: StatusTimeline,
  classes: AddressClasses,
  requests: readonly AdvertisedRequest[],
  durationMs: number,
  /** Short names for lanes (`namespace/name` → e.g. `one/test`). */
  nameOf: (ingress: string) => string = (i) => i,
): string {
  const ingresses = [...new Set(timeline.map((s) => s.ingress))].sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
  const spans: LaneSpan[] = [];
  for (const ingress of ingresses) {
    const own = timeline.filter((s) => s.ingress === ingress);
    own.forEach((s, i) => {
      const to = own[i + 1]?.t ?? durationMs;
      const kind = s.addresses.length === 0 ? 'none' : classifyAddresses(s.addresses, classes);
      spans.push({ lane: nameOf(ingress), from: s.t, to, color: CLASS_COLOR[kind], title: `${(s.t / 1000).toFixed(0)} s: ${s.addresses.join(',') || 'no address'} (${kind})` });
    });
  }
  const marks: LaneMark[] = requests.map((r) => ({
    lane: `${nameOf(r.ingress)} requests`,
    t: r.t,
    color: r.status >= 200 && r.status < 300 ? PALETTE.green : PALETTE.vermillion,
    title: `${(r.t / 1000).toFixed(0)} s via ${r.address}: ${r.status <= 0 ? 'no answer' : r.status}`,
  }));
  return lanesChart({
    title,
    lanes: ingresses.flatMap((i) => [nameOf(i), `${nameOf(i)} requests`]),
    durationMs,
    spans,
    marks,
    legend: [
      { label: 'LB address', color: CLASS_COLOR.LB },
      { label: 'node address', color: CLASS_COLOR.NODE },
      { label: 'other', color: CLASS_COLOR.OTHER },
      { label: 'no address', color: CLASS_COLOR.none },
      { label: 'request answered', color: PALETTE.green },
      { label: 'request failed', color: PALETTE.vermillion },
    ],
  });
}
