import { lanesChart, type LaneMark, type Moment } from '../../harness/plot/lanes.ts';
import { PALETTE } from '../../harness/plot/svg.ts';
import type { Attempt } from './client-log.ts';
import type { ChangeTimes, ClientKind } from './classify.ts';

const COLORS = { old: PALETTE.blue, fresh: PALETTE.green, other: PALETTE.purple, timeout: PALETTE.grey, refused: PALETTE.yellow, error: PALETTE.vermillion } as const;

/**
 * One lane per client, one tick per datagram: who answered (old backend,
 * new backend), no answer, or a socket error; the change's moments as lines.
 */
export function repliesTimeline(
  title: string,
  clients: ReadonlyArray<{ client: ClientKind; attempts: readonly Attempt[] }>,
  backends: { old: string; fresh: string },
  times: ChangeTimes,
  startedAt: number,
): string {
  const at = (t: number) => t - startedAt;
  const marks: LaneMark[] = clients.flatMap(({ client, attempts }) =>
    attempts.map((a) => {
      const who = a.result !== 'reply' ? a.result : a.reply === backends.old ? 'old' : a.reply === backends.fresh ? 'fresh' : 'other';
      const detail = a.result === 'reply' ? `answered by ${a.reply}` : a.result === 'timeout' ? 'no answer' : a.error;
      return { lane: `${client} socket`, t: at(a.t), color: COLORS[who], title: `${(at(a.t) / 1000).toFixed(1)} s, socket ${a.sock}: ${detail}` };
    }),
  );
  const moments: Moment[] = [
    { t: at(times.newReadyAt), label: 'new backend Ready' },
    { t: at(times.oldTerminatingAt), label: 'old backend terminating' },
    { t: at(times.oldGoneAt), label: 'old pod gone' },
  ];
  return lanesChart({
    title,
    lanes: clients.map((c) => `${c.client} socket`),
    durationMs: Math.max(at(times.windowEnd), 1),
    marks,
    moments,
    legend: [
      { label: 'answer from old backend', color: COLORS.old },
      { label: 'answer from new backend', color: COLORS.fresh },
      { label: 'no answer', color: COLORS.timeout },
      { label: 'port unreachable (socket kept)', color: COLORS.refused },
      { label: 'socket error', color: COLORS.error },
    ],
  });
}
