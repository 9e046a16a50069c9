import { CILIUM_AGENT_CONTAINER, CILIUM_AGENT_PODS } from './labels.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kube } from './kube.ts';

/**
 * Collects measurements while a story runs; written to
 * reports/<run>/<test>/ only when the story fails or mismatches.
 */
export class Evidence {
  private readonly files = new Map<string, string>();
  private readonly collected = new Set<string>();

  constructor(readonly dir: string) {}

  add(name: string, content: unknown): void {
    this.files.set(name, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }

  /** Writes a file into the bundle now (plots a passing test keeps too) and returns its path. */
  writeNow(name: string, content: string): string {
    this.add(name, content);
    const path = join(this.dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content);
    return path;
  }

  has(name: string): boolean {
    return this.files.has(name);
  }

  /** Events and container logs of every pod in a namespace (once per namespace). */
  async collectNamespace(kube: Kube, namespace: string): Promise<void> {
    if (this.collected.has(namespace)) return;
    this.collected.add(namespace);
    const events = await kube.core.listNamespacedEvent({ namespace }).catch(() => undefined);
    if (events) {
      this.add(`${namespace}/events.txt`, events.items.map((e) => `${e.lastTimestamp ?? e.eventTime ?? ''} ${e.type} ${e.reason} ${e.involvedObject.kind}/${e.involvedObject.name}: ${e.message}`).join('\n'));
    }
    const pods = await kube.core.listNamespacedPod({ namespace }).catch(() => undefined);
    for (const pod of pods?.items ?? []) {
      for (const c of pod.spec?.containers ?? []) {
        const log = await kube.core.readNamespacedPodLog({ namespace, name: pod.metadata!.name!, container: c.name, tailLines: 500 }).catch((e: Error) => `(no log: ${e.message})`);
        this.add(`${namespace}/${pod.metadata!.name}.${c.name}.log`, String(log));
      }
    }
  }

  /** `cilium-dbg status` of every agent and recent Hubble flows, when the cluster runs Cilium. */
  async collectCilium(kube: Kube, hubble: boolean): Promise<void> {
    const agents = await kube.core.listNamespacedPod({ namespace: 'kube-system', labelSelector: CILIUM_AGENT_PODS }).catch(() => undefined);
    for (const pod of agents?.items ?? []) {
      const name = pod.metadata!.name!;
      const node = pod.spec?.nodeName ?? name;
      const status = await kube.exec('kube-system', name, CILIUM_AGENT_CONTAINER, ['cilium-dbg', 'status', '--verbose'], 30_000).catch((e: Error) => `(failed: ${e.message})`);
      this.add(`cilium/${node}.status.txt`, status);
      if (hubble) {
        const flows = await kube.exec('kube-system', name, CILIUM_AGENT_CONTAINER, ['hubble', 'observe', '--last', '1000', '-o', 'json'], 30_000).catch((e: Error) => `(failed: ${e.message})`);
        this.add(`cilium/${node}.hubble-flows.jsonl`, flows);
      }
    }
  }

  write(): string | undefined {
    if (this.files.size === 0) return undefined;
    for (const [name, content] of this.files) {
      const path = join(this.dir, name);
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, content);
    }
    return this.dir;
  }
}

export const testSlug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80);
