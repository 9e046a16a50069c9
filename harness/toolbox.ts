import { PODS_READY_MS } from './timeouts.ts';
import type { V1Pod } from '@kubernetes/client-node';
import type { Kube } from './kube.ts';
import { podsReady } from './wait/pods.ts';

export interface ToolboxOptions {
  namespace: string;
  name?: string;
  image: string;
  node?: string;
}

/**
 * A long-running agnhost pod to run commands from inside the cluster
 * (nslookup, curl, nc); agnhost ships them and `pause` keeps it alive.
 */
export async function startToolbox(kube: Kube, o: ToolboxOptions): Promise<string> {
  const name = o.name ?? 'toolbox';
  const pod: V1Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: o.namespace, labels: { app: name } },
    spec: {
      ...(o.node ? { nodeName: o.node } : {}),
      terminationGracePeriodSeconds: 0,
      containers: [{ name: 'toolbox', image: o.image, imagePullPolicy: 'IfNotPresent', args: ['pause'] }],
      tolerations: [{ operator: 'Exists' }],
    },
  };
  await kube.apply([pod as never]);
  await podsReady(kube, o.namespace, `app=${name}`, 1, { timeoutMs: PODS_READY_MS });
  return name;
}
