export type Outcome = 'healthy' | 'affected' | 'inconclusive';

/** What a story measured, in one word, one sentence and the numbers behind them. */
export interface Classification {
  outcome: Outcome;
  reason: string;
  figures: Record<string, number | string>;
}
