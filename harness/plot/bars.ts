import { line, PALETTE, rect, svg, text } from './svg.ts';

export interface Bar {
  label: string;
  value: number;
  color?: string;
  /** Shown above the bar (e.g. the count behind a share). */
  note?: string;
}

export interface BarsChart {
  title: string;
  bars: readonly Bar[];
  /** The axis runs from 0 to this value. */
  max: number;
  /** Horizontal reference lines, e.g. the expected share and a threshold. */
  references?: ReadonlyArray<{ value: number; label: string }>;
  format?: (v: number) => string;
  /** A line under the title (a test statistic, a verdict). */
  subtitle?: string;
}

const LAYOUT = { width: 640, height: 300, left: 60, right: 150, top: 56, bottom: 48, barGap: 18 } as const;

/** Vertical bars with reference lines: shares per backend, per round. */
export function barsChart(c: BarsChart): string {
  const { width, height, left, right, top, bottom, barGap } = LAYOUT;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const fmt = c.format ?? ((v: number) => String(v));
  const y = (v: number) => top + plotH - (Math.min(Math.max(v, 0), c.max) / c.max) * plotH;
  const barW = Math.max(8, (plotW - barGap * (c.bars.length + 1)) / Math.max(c.bars.length, 1));
  const body: string[] = [text(left, 20, c.title, { size: 13 })];
  if (c.subtitle) body.push(text(left, 38, c.subtitle, { size: 10 }));
  body.push(line(left, top + plotH, left + plotW, top + plotH, PALETTE.ink), line(left, top, left, top + plotH, PALETTE.ink));
  body.push(text(left - 6, top + 4, fmt(c.max), { anchor: 'end', size: 10 }), text(left - 6, top + plotH + 4, fmt(0), { anchor: 'end', size: 10 }));
  c.bars.forEach((b, i) => {
    const x = left + barGap + i * (barW + barGap);
    body.push(rect(x, y(b.value), barW, top + plotH - y(b.value), b.color ?? PALETTE.blue, `${b.label}: ${fmt(b.value)}${b.note ? ` (${b.note})` : ''}`));
    body.push(text(x + barW / 2, y(b.value) - 4, b.note ?? fmt(b.value), { anchor: 'middle', size: 10 }));
    body.push(text(x + barW / 2, top + plotH + 16, b.label.length > 24 ? `${b.label.slice(0, 23)}…` : b.label, { anchor: 'middle', size: 10 }));
  });
  for (const r of c.references ?? []) {
    body.push(line(left, y(r.value), left + plotW, y(r.value), PALETTE.vermillion, true));
    body.push(text(left + plotW + 6, y(r.value) + 4, `${r.label} (${fmt(r.value)})`, { size: 10, fill: PALETTE.vermillion }));
  }
  return svg(width, height, body);
}
