import type { Expected } from './story.ts';
import type { Classification } from './outcome.ts';

export type { Classification, Outcome } from './outcome.ts';

export interface Verdict {
  pass: boolean;
  /** One sentence that names the case. */
  message: string;
  /** `no-expectation`: the story has no row for this case, variant and version (a failure, never a pass). */
  kind: 'as-expected' | 'regression' | 'fixed-upstream' | 'inconclusive' | 'observed-only' | 'unexpected' | 'no-expectation';
}

/** Compares an observed outcome with the table's expectation. */
export function judge(observed: Classification, expected: Expected): Verdict {
  const { outcome, reason } = observed;
  if (expected === 'unknown') {
    return { pass: true, kind: 'observed-only', message: `observed ${outcome} (expectation unknown, not judged): ${reason}` };
  }
  if (outcome === 'inconclusive') return { pass: false, kind: 'inconclusive', message: `inconclusive: expected ${expected}, ${reason}` };
  if (outcome === expected) {
    const what = outcome === 'affected' ? 'reproduced as expected' : 'healthy as expected';
    return { pass: true, kind: 'as-expected', message: `${what}: ${reason}` };
  }
  if (expected === 'healthy') return { pass: false, kind: 'regression', message: `regression: expected healthy, observed affected: ${reason}` };
  return { pass: false, kind: 'fixed-upstream', message: `fixed upstream? expected affected, observed healthy: ${reason}` };
}
