import { ROLLOUT_MS } from '../timeouts.ts';
import type { Kube } from '../kube.ts';
import { until, type UntilOptions } from './until.ts';

export async function nodesReady(kube: Kube, expected: number, opts: UntilOptions = { timeoutMs: ROLLOUT_MS }): Promise<string[]> {
  let last = '';
  return until(
    `${expected} nodes to be Ready`,
    async () => {
      const nodes = (await kube.core.listNode()).items;
      const ready = nodes.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      last = `${ready.length}/${nodes.length} Ready`;
      return ready.length >= expected ? ready.map((n) => n.metadata!.name!) : undefined;
    },
    opts,
    () => last,
  );
}
