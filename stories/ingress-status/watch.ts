import { Watch, type V1Ingress } from '@kubernetes/client-node';
import type { Kube } from '../../harness/kube.ts';
import type { TimerFloor } from '../../harness/story.ts';
import type { StatusTimeline } from './timeline.ts';

/** ingress-nginx re-syncs Ingress status every 60 s; a case watches 2.5 periods, so a flap shows at least twice. */
export const STATUS_SYNC_PERIOD_MS = 60_000;
const WATCHED_PERIODS = 2.5;
export const WATCH_MS = STATUS_SYNC_PERIOD_MS * WATCHED_PERIODS;
export const WATCH_FLOOR: TimerFloor = { ms: WATCH_MS, basis: `${WATCHED_PERIODS} status re-sync periods of ${STATUS_SYNC_PERIOD_MS / 1000} s` };

/** A running watch: the addresses each Ingress advertises now, and the timeline when stopped. */
export interface IngressWatch {
  current: () => ReadonlyMap<string, readonly string[]>;
  /** Ends the watch; throws when a namespace's watch ended before `stop` was called. */
  stop: () => StatusTimeline;
}

/**
 * Records every change of `.status.loadBalancer.ingress` of the Ingresses in
 * the given namespaces, like `kubectl get ingress -w`, until stopped.
 */
export async function startIngressWatch(kube: Kube, namespaces: string[]): Promise<IngressWatch> {
  const started = Date.now();
  const timeline: StatusTimeline = [];
  const now = new Map<string, string[]>();
  const seen = new Map<string, string>();
  const record = (ing: V1Ingress) => {
    const key = `${ing.metadata!.namespace}/${ing.metadata!.name}`;
    const addresses = (ing.status?.loadBalancer?.ingress ?? []).map((a) => a.ip ?? a.hostname ?? '').filter(Boolean);
    const joined = addresses.join(',');
    if (seen.get(key) === joined) return;
    seen.set(key, joined);
    now.set(key, addresses);
    timeline.push({ t: Date.now() - started, ingress: key, addresses });
  };
  const watch = new Watch(kube.config);
  const controllers: AbortController[] = [];
  // A watch that ends before it is stopped leaves a gap in the timeline, and a
  // gap can hide the flapping this story looks for: that is an error, not a
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
  return {
    current: () => now,
    stop: () => {
      stopping = true;
      controllers.forEach((c) => c.abort());
      if (endedEarly.length > 0) {
        throw new Error(`the Ingress watch ended before it was stopped in ${endedEarly.join('; ')}: the status timeline has a gap, run the case again`);
      }
      return timeline;
    },
  };
}
