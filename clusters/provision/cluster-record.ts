import { createHash } from 'node:crypto';
import type { Kube } from '../../harness/kube.ts';

/** Where a provisioned cluster records what shaped it, so a later run can tell whether to reuse it. */
export const RECORD = { namespace: 'kube-system', name: 'netrepro-cluster' } as const;

export interface ClusterShape {
  kindConfig: unknown;
  nodeImage: string;
  ciliumValues?: unknown;
  addons: unknown;
  versions: Record<string, string>;
  imageSource: string;
}

/** A stable hash: object keys are sorted so that equal shapes hash equally. */
export function shapeHash(shape: ClusterShape): string {
  return createHash('sha256').update(canonical(shape)).digest('hex').slice(0, 16);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export async function readRecordedHash(kube: Kube): Promise<string | undefined> {
  try {
    const cm = await kube.core.readNamespacedConfigMap(RECORD);
    return cm.data?.hash;
  } catch {
    return undefined;
  }
}

export async function writeRecord(kube: Kube, hash: string, shape: ClusterShape): Promise<void> {
  await kube.apply([
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { ...RECORD, labels: { 'app.kubernetes.io/managed-by': 'netrepro' } },
      data: { hash, shape: JSON.stringify(shape, null, 2), recordedAt: new Date().toISOString() },
    } as never,
  ]);
}
