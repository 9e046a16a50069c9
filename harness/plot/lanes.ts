import { line, PALETTE, rect, svg, text } from './svg.ts';

/** A span on a lane: [from, to) in ms, coloured by its kind. */
export interface LaneSpan {
  lane: string;
  from: number;
  to: number;
  color: string;
  title?: string;
}

/** A point event on a lane (a request and its outcome). */
export interface LaneMark {
  lane: string;
  t: number;
  color: string;
  title?: string;
}

/** A moment that matters to every lane (a restart, a window's end). */
export interface Moment {
  t: number;
  label: string;
}

export interface LanesChart {
  title: string;
  lanes: readonly string[];
  /** The time axis runs from 0 to this many ms. */
  durationMs: number;
  spans?: readonly LaneSpan[];
  marks?: readonly LaneMark[];
  moments?: readonly Moment[];
  legend: ReadonlyArray<{ label: string; color: string }>;
}

const LAYOUT = { width: 900, laneHeight: 26, minLeft: 100, maxLeft: 360, charWidth: 6.5, right: 20, top: 44, bottom: 58, tickEveryMs: 10_000 } as const;

/** Lanes over time: spans as bars, marks as ticks, moments as dashed lines with labels. */
export function lanesChart(c: LanesChart): string {
  const { width, laneHeight, right, top, bottom } = LAYOUT;
  // Room for the longest lane label, within bounds.
  const left = Math.round(Math.min(LAYOUT.maxLeft, Math.max(LAYOUT.minLeft, 16 + LAYOUT.charWidth * Math.max(...c.lanes.map((l) => l.length)))));
  const height = top + c.lanes.length * laneHeight + bottom;
  const plotWidth = width - left - right;
  const x = (t: number) => left + (Math.min(Math.max(t, 0), c.durationMs) / c.durationMs) * plotWidth;
  const y = (lane: string) => top + c.lanes.indexOf(lane) * laneHeight;
  const body: string[] = [text(left, 20, c.title, { size: 13 })];
  c.lanes.forEach((lane) => {
    body.push(text(left - 8, y(lane) + laneHeight / 2 + 4, lane, { anchor: 'end' }));
    body.push(line(left, y(lane) + laneHeight, width - right, y(lane) + laneHeight, '#e4e4e4'));
  });
  for (const s of c.spans ?? []) body.push(rect(x(s.from), y(s.lane) + 5, x(s.to) - x(s.from), laneHeight - 10, s.color, s.title));
  for (const m of c.marks ?? []) body.push(rect(x(m.t) - 1, y(m.lane) + 4, 2.5, laneHeight - 8, m.color, m.title));
  const axisY = top + c.lanes.length * laneHeight;
  const step = c.durationMs > 120_000 ? 2 * LAYOUT.tickEveryMs : LAYOUT.tickEveryMs;
  for (let t = 0; t <= c.durationMs; t += step) {
    body.push(line(x(t), axisY, x(t), axisY + 4, PALETTE.ink));
    body.push(text(x(t), axisY + 16, `${t / 1000} s`, { anchor: 'middle', size: 10 }));
  }
  (c.moments ?? []).forEach((m, i) => {
    body.push(line(x(m.t), top - 4, x(m.t), axisY, PALETTE.ink, true));
    body.push(text(x(m.t) + 3, top - 6 - (i % 2) * 11, m.label, { size: 10 }));
  });
  let lx = left;
  for (const entry of c.legend) {
    body.push(rect(lx, height - 20, 12, 12, entry.color));
    body.push(text(lx + 16, height - 10, entry.label, { size: 10 }));
    lx += 28 + entry.label.length * 6;
  }
  return svg(width, height, body);
}
