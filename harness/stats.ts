/** Upper critical values of the chi-square distribution at p = 0.001, by degrees of freedom. */
export const CHI2_CRITICAL_P001: Readonly<Record<number, number>> = { 1: 10.828, 2: 13.816, 3: 16.266 };

export interface ChiSquare {
  statistic: number;
  df: number;
}

/** Pearson's goodness of fit of `counts` against an even split over its categories. */
export function chiSquareUniform(counts: readonly number[]): ChiSquare {
  if (counts.length < 2) throw new RangeError(`chi-square needs at least 2 categories, got ${counts.length}`);
  if (counts.some((c) => !Number.isFinite(c) || c < 0)) throw new RangeError(`counts must be non-negative numbers: ${counts.join(',')}`);
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) throw new RangeError('chi-square of no observations');
  const expected = total / counts.length;
  const statistic = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
  return { statistic, df: counts.length - 1 };
}

/** part / whole; NaN when whole is 0, so every threshold comparison on it is false. */
export function fraction(part: number, whole: number): number {
  return whole === 0 ? Number.NaN : part / whole;
}

export function fractionWhere<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  return fraction(items.filter(predicate).length, items.length);
}

export function is2xx(status: number): boolean {
  return status >= 200 && status < 300;
}

/** Rounds for human-readable figures (reasons and evidence), never for decisions. */
export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
