// Spec files of a cluster project run in the order its variant lists its stories.
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { VARIANTS } from '../index.ts';

/**
 * Vitest orders files by cached durations or file size, which changes from
 * machine to machine. A fixed order makes runs comparable and lets stories
 * that set Cilium values line their cases up: the last values of one story are
 * the first of the next, so the second needs no reinstall (bpf: auth-url ends
 * and udp-clients begins with socketLB.hostNamespaceOnly). Correctness never
 * depends on it: every case sets its own values.
 */
export class StoryOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const projectRank = new Map<string, number>();
    for (const f of base) if (!projectRank.has(f.project.name)) projectRank.set(f.project.name, projectRank.size);
    return [...base].sort((a, b) => projectRank.get(a.project.name)! - projectRank.get(b.project.name)! || storyRank(a) - storyRank(b));
  }
}

/** Where a spec's story stands in its variant's list; files of other projects keep their place. */
export function storyRank(f: Pick<TestSpecification, 'moduleId'> & { project: { name: string } }): number {
  const variant = (VARIANTS as Record<string, (typeof VARIANTS)[keyof typeof VARIANTS] | undefined>)[f.project.name];
  if (!variant) return 0;
  const rank = variant.stories.findIndex((story) => f.moduleId.startsWith(`${story.dir}/`));
  return rank < 0 ? variant.stories.length : rank;
}
