// Story C: kube-proxy's FORWARD jump ahead of Cilium's (README.md beside this file).
import { forwardJumpOrder } from '../../harness/parse/iptables.ts';
import { fraction, round } from '../../harness/stats.ts';
import type { Classification } from '../../harness/outcome.ts';

/** Structural check on the FORWARD chain (rules from either iptables parser). */
export function classifyForwardOrder(rules: readonly { chain: string; target?: string }[]): Classification {
  const order = forwardJumpOrder(rules);
  const kube = order.indexOf('KUBE-FORWARD');
  const cilium = order.indexOf('CILIUM_FORWARD');
  const figures = { order: order.join(' > ') || 'none', first: order[0] ?? 'none', kubeForwardAt: kube, ciliumForwardAt: cilium };
  if (kube < 0 || cilium < 0) {
    const missing = [kube < 0 && 'KUBE-FORWARD', cilium < 0 && 'CILIUM_FORWARD'].filter(Boolean).join(' and ');
    return { outcome: 'inconclusive', reason: `FORWARD has no jump to ${missing}`, figures };
  }
  return kube < cilium
    ? { outcome: 'affected', reason: 'KUBE-FORWARD precedes CILIUM_FORWARD in FORWARD: its ctstate INVALID drop sees pod traffic first', figures }
    : { outcome: 'healthy', reason: 'CILIUM_FORWARD precedes KUBE-FORWARD in FORWARD', figures };
}

export interface ForwardDataPlaneInput {
  /** Fresh TCP connections that carried a request and got the answer. */
  succeeded: number;
  failed: number;
  /** Increase of the KUBE-FORWARD `ctstate INVALID` DROP packet counter over the attempts. */
  invalidDropDelta: number;
  /** Whether KUBE-FORWARD has the `ctstate INVALID` DROP at all (kube-proxy leaves it out when nf_conntrack_tcp_be_liberal is 1). */
  invalidDropRule: boolean;
}

export const FORWARD_DATA_PLANE_THRESHOLDS = { affectedFailuresAtLeast: 0.5 } as const;

export function classifyForwardDataPlane(input: ForwardDataPlaneInput): Classification {
  const attempts = input.succeeded + input.failed;
  const failShare = fraction(input.failed, attempts);
  const { invalidDropRule, ...counts } = input;
  const figures = { ...counts, invalidDropRule: invalidDropRule ? 'present' : 'absent', attempts, failShare: Number.isNaN(failShare) ? 'n/a' : round(failShare) };
  if (attempts === 0) return { outcome: 'inconclusive', reason: 'no connection attempts', figures };
  if (!input.invalidDropRule) {
    return { outcome: 'inconclusive', reason: `KUBE-FORWARD has no ctstate INVALID drop (kube-proxy leaves it out when nf_conntrack_tcp_be_liberal is 1), so the drop this case looks for cannot happen; ${input.succeeded} of ${attempts} connections succeeded`, figures };
  }
  if (input.failed === 0) return { outcome: 'healthy', reason: `all ${attempts} connections succeeded`, figures };
  if (failShare >= FORWARD_DATA_PLANE_THRESHOLDS.affectedFailuresAtLeast && input.invalidDropDelta > 0) {
    return { outcome: 'affected', reason: `${input.failed} of ${attempts} connections failed and KUBE-FORWARD dropped ${input.invalidDropDelta} INVALID packets`, figures };
  }
  const why = input.invalidDropDelta > 0 ? 'fewer than half failed' : 'no INVALID drops in KUBE-FORWARD';
  return { outcome: 'inconclusive', reason: `${input.failed} of ${attempts} connections failed, but ${why}`, figures };
}
