import { PALETTE, rect, svg, text } from '../../harness/plot/svg.ts';

/** One moment of the story: FORWARD's jump order then, and the connections tried then (if any). */
export interface ForwardStage {
  label: string;
  /** FORWARD's jump targets, first to last. */
  order: readonly string[];
  /** One entry per connection attempt: true when it carried its request and got the answer. */
  connections?: readonly boolean[];
  /** KUBE-FORWARD's `ctstate INVALID` DROP packets counted over those attempts. */
  invalidDropDelta?: number;
}

const CHAIN_COLOR: Record<string, string> = { CILIUM_FORWARD: PALETTE.blue, 'KUBE-FORWARD': PALETTE.orange };
/** `label` is room for the figures after the last connection square ("20/20, INVALID +123"). */
const LAYOUT = { minWidth: 900, label: 140, row: 46, top: 40, left: 210, box: { w: 118, h: 22, gap: 6 }, conn: { x: 560, size: 10, gap: 3 }, bottom: 40 } as const;

/**
 * Story C at a glance: per stage, FORWARD's jumps as boxes in order
 * (Cilium blue, kube-proxy orange), each connection as a square (green
 * answered, vermillion failed) and the INVALID drops counted meanwhile.
 */
export function forwardOrderChart(title: string, stages: readonly ForwardStage[]): string {
  const { minWidth, label, row, top, left, box, conn, bottom } = LAYOUT;
  const mostConnections = Math.max(0, ...stages.map((s) => s.connections?.length ?? 0));
  const width = Math.max(minWidth, conn.x + mostConnections * (conn.size + conn.gap) + label);
  const height = top + stages.length * row + bottom;
  const body: string[] = [text(12, 22, title, { size: 13 }), text(left, top - 6, 'FORWARD jumps, first to last', { size: 10 }), text(conn.x, top - 6, 'connections, then INVALID drops', { size: 10 })];
  stages.forEach((s, i) => {
    const y = top + i * row;
    body.push(text(left - 10, y + box.h / 2 + 4, s.label, { anchor: 'end' }));
    s.order.forEach((target, j) => {
      const x = left + j * (box.w + box.gap);
      if (x + box.w > conn.x - box.gap) return;
      body.push(rect(x, y, box.w, box.h, CHAIN_COLOR[target] ?? PALETTE.grey, `${j + 1}. -j ${target}`));
      body.push(text(x + 5, y + box.h / 2 + 4, target.length > 18 ? `${target.slice(0, 17)}…` : target, { size: 10, fill: '#ffffff' }));
    });
    if (s.order.length === 0) body.push(text(left, y + box.h / 2 + 4, '(no jumps)', { fill: PALETTE.grey }));
    if (s.connections) {
      s.connections.forEach((ok, k) => {
        body.push(rect(conn.x + k * (conn.size + conn.gap), y + (box.h - conn.size) / 2, conn.size, conn.size, ok ? PALETTE.green : PALETTE.vermillion, `attempt ${k + 1}: ${ok ? 'answered' : 'failed'}`));
      });
      const okCount = s.connections.filter(Boolean).length;
      const after = conn.x + s.connections.length * (conn.size + conn.gap) + 6;
      body.push(text(after, y + box.h / 2 + 4, `${okCount}/${s.connections.length}${s.invalidDropDelta !== undefined ? `, INVALID +${s.invalidDropDelta}` : ''}`, { size: 10 }));
    }
  });
  const legendY = height - 16;
  [['Cilium', PALETTE.blue], ['kube-proxy', PALETTE.orange], ['answered', PALETTE.green], ['failed', PALETTE.vermillion]].forEach(([label, color], i) => {
    body.push(rect(left + i * 110, legendY - 10, 12, 12, color!));
    body.push(text(left + i * 110 + 16, legendY, label!, { size: 10 }));
  });
  return svg(width, height, body);
}
