import semver from 'semver';
import { EXPECTATIONS, type ExpectationRow, type StoryId } from '../expectations.ts';
import type { VariantName } from '../clusters/types.ts';

export interface ExpectationQuery {
  story: StoryId;
  case: string;
  variant: VariantName;
  /** Undefined when the cluster has no Cilium. */
  ciliumVersion?: string;
}

const matchesVersion = (range: string, version?: string) => {
  if (range === '*') return true;
  if (!version) return false;
  const v = semver.coerce(version);
  return v !== null && semver.satisfies(v, range);
};

export function findExpectation(q: ExpectationQuery, table: ExpectationRow[] = EXPECTATIONS): ExpectationRow | undefined {
  return table.find(
    (r) =>
      r.story === q.story &&
      (r.case === '*' || r.case === q.case) &&
      (r.variant === '*' || r.variant === q.variant) &&
      matchesVersion(r.cilium, q.ciliumVersion),
  );
}

export function expectedOutcome(q: ExpectationQuery, table?: ExpectationRow[]) {
  const row = findExpectation(q, table);
  return { expected: row?.expected ?? 'unknown', links: row?.links ?? [], basis: row?.basis ?? 'no row in expectations.ts' };
}
