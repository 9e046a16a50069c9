import semver from 'semver';
import type { ExpectationRow, Story } from './story.ts';

export type { Expected, ExpectationRow } from './story.ts';

export interface ExpectationQuery {
  case: string;
  variant: string;
  /** Undefined when the cluster has no Cilium. */
  ciliumVersion?: string;
}

const matchesVersion = (range: string, version?: string) => {
  if (range === '*') return true;
  if (!version) return false;
  const v = semver.coerce(version, { includePrerelease: false });
  return v !== null && semver.satisfies(v, range);
};

export function findExpectation<C extends string>(rows: readonly ExpectationRow<C>[], q: ExpectationQuery): ExpectationRow<C> | undefined {
  return rows.find(
    (r) => (r.case === '*' || r.case === q.case) && (r.variant === '*' || r.variant === q.variant) && matchesVersion(r.cilium, q.ciliumVersion),
  );
}

/** Names the row a story lacks, and where to add it. */
export function missingRowMessage(story: Pick<Story, 'id'>, q: ExpectationQuery): string {
  const where = `${story.id}/${q.case} on ${q.variant}, ${q.ciliumVersion ? `Cilium ${q.ciliumVersion}` : 'no Cilium'}`;
  return `no expectation row for ${where}: add one to stories/${story.id}/story.ts (expected: 'unknown' if it is not known yet)`;
}

/** The row for a case; a missing row is an error that names it, never a silent 'unknown'. */
export function expectationFor<C extends string>(story: Story<C>, q: ExpectationQuery): ExpectationRow<C> {
  const row = findExpectation(story.expectations, q);
  if (!row) throw new Error(missingRowMessage(story, q));
  return row;
}
