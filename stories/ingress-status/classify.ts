// Story B: Ingress status flapping between LB and node addresses (README.md beside this file).
import { transitions, classifyAddresses, type AddressClasses, type StatusTimeline } from './timeline.ts';
import type { Classification } from '../../harness/outcome.ts';

export interface IngressStatusInput {
  timeline: StatusTimeline;
  classes: AddressClasses;
  /** Namespaces whose own controller is correctly scoped; only their Ingresses are judged. */
  scopedNamespaces: readonly string[];
  /** `namespace/name` → the LB IP its own controller publishes, when known. */
  ownLbIps?: Readonly<Record<string, string>>;
}

export const INGRESS_STATUS_THRESHOLDS = { affectedTransitionsAtLeast: 2, healthyTransitionsAtMost: 1 } as const;

export function classifyIngressStatus(input: IngressStatusInput): Classification {
  const judged = [...transitions(input.timeline, input.classes).values()]
    .filter((h) => input.scopedNamespaces.includes(h.ingress.split('/')[0] ?? ''));
  const figures: Classification['figures'] = { ingresses: judged.length };
  for (const h of judged) {
    figures[`transitions:${h.ingress}`] = h.transitions;
    figures[`last:${h.ingress}`] = h.last.join(',') || 'none';
  }
  if (judged.length === 0) {
    return { outcome: 'inconclusive', reason: `no Ingress observed in ${input.scopedNamespaces.join(', ')}`, figures };
  }
  const flapping = judged.filter((h) => h.transitions >= INGRESS_STATUS_THRESHOLDS.affectedTransitionsAtLeast);
  if (flapping.length > 0) {
    const list = flapping.map((h) => `${h.ingress} (${h.transitions})`).join(', ');
    return { outcome: 'affected', reason: `status flips between LB and NODE addresses: ${list}`, figures };
  }
  const unsettled = judged.filter((h) => {
    const own = input.ownLbIps?.[h.ingress];
    const endsOnLb = h.last.length > 0 && classifyAddresses(h.last, input.classes) === 'LB';
    return !endsOnLb || (own !== undefined && !(h.last.length === 1 && h.last[0] === own));
  });
  if (unsettled.length > 0) {
    const list = unsettled.map((h) => `${h.ingress} ends on ${h.last.join(',') || 'no address'}`).join(', ');
    return { outcome: 'inconclusive', reason: `at most one transition, but not settled on its own LB IP: ${list}`, figures };
  }
  return { outcome: 'healthy', reason: `every Ingress made at most one transition and ends on its LB IP`, figures };
}
