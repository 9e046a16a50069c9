import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Expected = 'healthy' | 'affected' | 'unknown';

/**
 * One row of a story's expectation table: which outcome a case should give on
 * a variant and a range of Cilium versions. The first matching row wins.
 * `cilium` is a semver range; '*' also matches clusters without Cilium.
 */
export interface ExpectationRow<C extends string = string> {
  /** A case of the story, or '*' for every case. */
  case: C | '*';
  /** A variant name (clusters/variants/), or '*'. */
  variant: string;
  cilium: string;
  expected: Expected;
  links: readonly string[];
  /** Why this row says what it says: the mechanism, or the run that showed it. */
  basis: string;
}

/** Everything the suite knows about one story; defined in stories/<id>/story.ts. */
export interface Story<C extends string = string, Id extends string = string> {
  /** The story's folder name under stories/: also its badge, its outcome records' key and its name in the matrix. */
  id: Id;
  title: string;
  /** Absolute path of the story's folder; its `*.spec.ts` files are what a variant runs. */
  dir: string;
  /** Every case the story can conclude. */
  cases: readonly C[];
  /** The cases its spec concludes on a variant. */
  casesOn: (variant: string) => readonly C[];
  expectations: readonly ExpectationRow<C>[];
  /**
   * The least time a test of the story can take, from the timers it waits out
   * (probe windows, re-sync periods, graces), for the bench to set test times
   * against; undefined for a test that waits on no timer.
   */
  timerFloor?: (testName: string) => TimerFloor | undefined;
}

export interface TimerFloor {
  ms: number;
  /** Which timers add up to it. */
  basis: string;
}

export interface StoryDefinition<C extends string, Id extends string> extends Omit<Story<C, Id>, 'dir' | 'casesOn'> {
  casesOn?: (variant: string) => readonly C[];
}

/** Declares a story from its folder (pass `import.meta.url` of its story.ts). */
export function defineStory<const C extends string, const Id extends string>(moduleUrl: string, def: StoryDefinition<C, Id>): Story<C, Id> {
  return { ...def, dir: dirname(fileURLToPath(moduleUrl)), casesOn: def.casesOn ?? (() => def.cases) };
}
