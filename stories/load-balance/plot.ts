import { barsChart } from '../../harness/plot/bars.ts';
import { PALETTE } from '../../harness/plot/svg.ts';
import type { Classification } from '../../harness/outcome.ts';
import { LOAD_BALANCE_THRESHOLDS, STICKINESS_THRESHOLDS } from './classify.ts';

const percent = (v: number) => `${Math.round(v * 100)}%`;

/** Requests per backend as shares, against the even share and the 25% floor; the chi-square in the subtitle. */
export function backendLoadChart(title: string, backends: readonly string[], hits: Readonly<Record<string, number>>, figures: Classification['figures']): string {
  const total = backends.reduce((n, b) => n + (hits[b] ?? 0), 0);
  return barsChart({
    title,
    subtitle: `${total} answered; chi-square ${figures.chiSquare ?? 'n/a'} (critical ${figures.chiSquareCritical ?? 'n/a'} at p=0.001)`,
    max: 1,
    format: percent,
    bars: backends.map((b) => ({ label: b, value: total ? (hits[b] ?? 0) / total : 0, note: String(hits[b] ?? 0) })),
    references: [
      { value: 1 / backends.length, label: 'even share' },
      { value: LOAD_BALANCE_THRESHOLDS.minBackendShare, label: 'floor' },
    ],
  });
}

/** Share of reused ports that reached the same backend, per round, against the chance level and the thresholds. */
export function stickinessChart(rounds: ReadonlyArray<{ label: string; figures: Classification['figures'] }>, backends = 3): string {
  return barsChart({
    title: 'reused source ports: same backend as before',
    max: 1,
    format: percent,
    bars: rounds.map((r) => ({
      label: r.label,
      value: typeof r.figures.sameShare === 'number' ? r.figures.sameShare : 0,
      note: `${r.figures.sameBackend}/${r.figures.answeredBothRounds}`,
      color: typeof r.figures.sameShare === 'number' && r.figures.sameShare > STICKINESS_THRESHOLDS.affectedSameAbove ? PALETTE.orange : PALETTE.blue,
    })),
    references: [
      { value: 1 / backends, label: 'chance' },
      { value: STICKINESS_THRESHOLDS.healthySameBelow, label: 'healthy below' },
      { value: STICKINESS_THRESHOLDS.affectedSameAbove, label: 'sticky above' },
    ],
  });
}
