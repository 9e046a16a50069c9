/**
 * The contract every parser keeps: it never returns an empty success for
 * input it did not understand. Non-empty input with no record recognised is
 * an `UnrecognisedInput` error quoting the first line it could not read;
 * partly recognised input reports how many lines it skipped, so the evidence
 * shows it; a number that does not parse is an error, never NaN.
 */

/** Lines a parser read past without recognising them (blank lines and known headers do not count). */
export interface Skipped {
  count: number;
  /** The first such line, trimmed and cut to `QUOTE_MAX` characters. */
  first?: string;
}

export interface Parsed<T> {
  records: T[];
  skipped: Skipped;
}

/** How much of an unrecognised line an error or a skip record quotes. */
export const QUOTE_MAX = 160;

export const quoteLine = (line: string) => {
  const printable = line.trim().replace(/[^\x20-\x7e\u00a0-\uffff]/g, '?');
  return printable.length > QUOTE_MAX ? `${printable.slice(0, QUOTE_MAX)}…` : printable;
};

export class UnrecognisedInput extends Error {
  override name = 'UnrecognisedInput';
  constructor(
    /** What was being parsed, e.g. "iptables -S output". */
    readonly what: string,
    readonly firstLine: string,
    readonly lines: number,
  ) {
    super(`${what}: none of ${lines} line(s) recognised; first: "${quoteLine(firstLine)}"`);
  }
}

/** Counts unrecognised lines while a parser walks its input. */
export class SkipCounter {
  private count = 0;
  private first: string | undefined;
  skip(line: string): void {
    if (line.trim() === '') return;
    this.count++;
    this.first ??= quoteLine(line);
  }
  get skipped(): Skipped {
    return this.first === undefined ? { count: this.count } : { count: this.count, first: this.first };
  }
}

/**
 * Ends a parse: throws when the input had content but no record was
 * recognised, and otherwise returns the records with the skip count.
 */
export function finish<T>(what: string, text: string, records: T[], counter: SkipCounter): Parsed<T> {
  const skipped = counter.skipped;
  if (records.length === 0 && skipped.count > 0) {
    const lines = text.split('\n').filter((l) => l.trim() !== '').length;
    throw new UnrecognisedInput(what, skipped.first ?? '', lines);
  }
  return { records, skipped };
}

/** A decimal integer, or an error naming the field and the text. */
export function parseCount(value: string, field: string): number {
  if (!/^\d+$/.test(value.trim())) throw new Error(`${field}: "${quoteLine(value)}" is not a whole number`);
  return Number(value.trim());
}
