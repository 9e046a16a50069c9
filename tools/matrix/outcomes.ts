import { existsSync, readFileSync } from 'node:fs';
import type { OutcomeRecord } from '../../harness/outcome-log.ts';
import { cellId } from './cells.ts';

export interface ParsedOutcomes {
  records: OutcomeRecord[];
  /** Lines that are not outcome records, as `<source>:<line>: <why>`. */
  problems: string[];
}

const REQUIRED: Array<keyof OutcomeRecord> = ['story', 'case', 'variant', 'expected', 'observed', 'verdict', 'pass'];

/**
 * Parses an outcome log (one JSON object per line, harness/outcome-log.ts).
 * Blank lines are ignored; a line cut short by an interrupted run, or one
 * missing a field the matrix needs, is reported in `problems`, not thrown.
 */
export function parseOutcomes(text: string, source = 'outcomes'): ParsedOutcomes {
  const records: OutcomeRecord[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push(`${source}:${i + 1}: not JSON (${line.slice(0, 60)}${line.length > 60 ? '…' : ''})`);
      return;
    }
    if (typeof value !== 'object' || value === null) {
      problems.push(`${source}:${i + 1}: not an object`);
      return;
    }
    const missing = REQUIRED.filter((k) => !(k in value));
    if (missing.length) {
      problems.push(`${source}:${i + 1}: missing ${missing.join(', ')}`);
      return;
    }
    records.push(value as OutcomeRecord);
  });
  return { records, problems };
}

/** Reads an outcome log; a file that does not exist holds no records (the cell concluded nothing). */
export function readOutcomes(path: string): ParsedOutcomes {
  if (!existsSync(path)) return { records: [], problems: [] };
  return parseOutcomes(readFileSync(path, 'utf8'), path);
}

/** The cell a record belongs to, from the versions the run recorded. */
export const recordCellId = (r: Pick<OutcomeRecord, 'variant' | 'cilium'>) => cellId(r.variant, r.cilium);
