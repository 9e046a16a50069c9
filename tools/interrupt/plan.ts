// The interruption runs: when to send which signal, and what a run may leave behind.

export type Interruption = 'SIGINT' | 'SIGTERM' | 'double-SIGINT';

export interface PlannedRun {
  index: number;
  interruption: Interruption;
  /** Seconds after the start of the run. */
  delaySeconds: number;
}

/** A small seeded generator (mulberry32), so a run list can be replayed with --seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `runs` runs, the interruptions taken in turn, each at a uniform random time in [min, max] s. */
export function planRuns(runs: number, kinds: readonly Interruption[], range: { min: number; max: number }, seed: number): PlannedRun[] {
  const random = seeded(seed);
  return Array.from({ length: runs }, (_, i) => ({
    index: i + 1,
    interruption: kinds[i % kinds.length]!,
    delaySeconds: Math.round(range.min + random() * (range.max - range.min)),
  }));
}

/** What the machine looked like: clusters, containers, the user's kubeconfig. */
export interface Snapshot {
  kindClusters: string[];
  containers: string[];
  kubeconfigHash: string;
  currentContext: string;
  /** Namespaces netrepro labelled on the cluster the runs reuse (NETREPRO_KUBECONFIG); empty when each run makes its own. */
  managedNamespaces?: string[];
}

/** Everything a run added or changed, named; empty when it left nothing. */
export function leftovers(before: Snapshot, after: Snapshot): string[] {
  const added = (a: string[], b: string[]) => b.filter((x) => !a.includes(x));
  const out: string[] = [];
  for (const c of added(before.kindClusters, after.kindClusters)) out.push(`kind cluster ${c}`);
  for (const c of added(before.containers, after.containers)) out.push(`container ${c}`);
  for (const n of added(before.managedNamespaces ?? [], after.managedNamespaces ?? [])) out.push(`namespace ${n}`);
  if (before.kubeconfigHash !== after.kubeconfigHash) out.push('the user\'s kubeconfig changed');
  if (before.currentContext !== after.currentContext) out.push(`current context changed: "${before.currentContext}" → "${after.currentContext}"`);
  return out;
}

/** The last progress line of a run's output: the step it was in when the signal came. */
export function phaseAt(output: string): string {
  const lines = output.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('[netrepro]') || /^[✓×↓]/.test(l) || / > .* \[/.test(l));
  return lines.at(-1)?.replace(/\s+/g, ' ').slice(0, 100) ?? '(no output yet)';
}
