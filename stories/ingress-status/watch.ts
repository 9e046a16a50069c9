import { Watch, type V1Ingress } from '@kubernetes/client-node';
import type { Kube } from '../../harness/kube.ts';
import type { StatusTimeline } from './timeline.ts';

/**
 * Records every change of `.status.loadBalancer.ingress` of the Ingresses in
 * the given namespaces for `durationMs` (bounded), like `kubectl get ingress -w`.
 */
export async function watchIngressStatus(kube: Kube, namespaces: string[], durationMs: number): Promise<StatusTimeline> {
  const started = Date.now();
  const timeline: StatusTimeline = [];
  const seen = new Map<string, string>();
  const record = (ing: V1Ingress) => {
    const key = `${ing.metadata!.namespace}/${ing.metadata!.name}`;
    const addresses = (ing.status?.loadBalancer?.ingress ?? []).map((a) => a.ip ?? a.hostname ?? '').filter(Boolean);
    const joined = addresses.join(',');
    if (seen.get(key) === joined) return;
    seen.set(key, joined);
    timeline.push({ t: Date.now() - started, ingress: key, addresses });
  };
  const watch = new Watch(kube.config);
  const controllers: AbortController[] = [];
  // A watch that ends before the window does leaves a gap in the timeline, and
  // a gap can hide the flapping this story looks for: that is an error, not a
  // shorter timeline.
  const endedEarly: string[] = [];
  let stopping = false;
  for (const ns of namespaces) {
    for (const ing of (await kube.networking.listNamespacedIngress({ namespace: ns })).items) record(ing);
    controllers.push(
      await watch.watch(`/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses`, {}, (_phase, obj: V1Ingress) => record(obj), (err) => {
        if (stopping) return;
        const why = err ? (err as Error).message : 'the API server closed the stream';
        endedEarly.push(`${ns} after ${((Date.now() - started) / 1000).toFixed(0)} s (${why})`);
      }),
    );
  }
  await new Promise((r) => setTimeout(r, Math.max(0, durationMs - (Date.now() - started))));
  stopping = true;
  controllers.forEach((c) => c.abort());
  if (endedEarly.length > 0) {
    throw new Error(`the Ingress watch ended before its ${durationMs / 1000} s window in ${endedEarly.join('; ')}: the status timeline has a gap, run the case again`);
  }
  return timeline;
}
