import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { outcomeLogPath } from '../config/env.ts';
import type { Expected } from './story.ts';
import type { VariantName } from '../clusters/types.ts';
import type { Classification, Verdict } from './verdict.ts';

/** One concluded story case: what the matrix and the results table are made from. */
export interface OutcomeRecord {
  at: string;
  test: string;
  /** A story id (stories/<id>/). */
  story: string;
  case: string;
  /** Which measurement of the case this is, when a test concludes one case more than once (e.g. a flavour). */
  label?: string;
  variant: VariantName;
  cilium?: string;
  kubernetes: string;
  imageSource: string;
  expected: Expected;
  observed: Classification['outcome'];
  verdict: Verdict['kind'];
  pass: boolean;
  message: string;
  durationMs: number;
  /** The measurements behind the outcome (counts, rates, addresses). */
  figures?: Classification['figures'];
  /** The test's evidence folder: its plots, and everything else when it failed. */
  evidence?: string;
}

export { outcomeLogPath };

export function recordOutcome(record: OutcomeRecord, path = outcomeLogPath()): void {
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, `${JSON.stringify(record)}\n`);
}
