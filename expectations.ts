import type { VariantName } from './clusters/types.ts';

/**
 * The expectation table: which outcome each (story, case, variant, Cilium
 * version) should give. The first matching row wins; no row means unknown.
 * `cilium` is a semver range; '*' also matches clusters without Cilium.
 */
export type StoryId = 'auth-url' | 'ingress-status' | 'forward-order' | 'load-balance' | 'harness';
export type Expected = 'healthy' | 'affected' | 'unknown';

export interface ExpectationRow {
  story: StoryId;
  /** Case within the story, e.g. a Cilium values case or a phase; '*' for every case. */
  case: string;
  variant: VariantName | '*';
  cilium: string;
  expected: Expected;
  links: string[];
  /** Why this row says what it says: the mechanism, or the run that showed it. */
  basis: string;
}

const CILIUM = 'https://github.com/cilium/cilium/issues/';
const INGRESS_NGINX = 'https://github.com/kubernetes/ingress-nginx/issues/';
const KUBERNETES = 'https://github.com/kubernetes/kubernetes/issues/';

export const EXPECTATIONS: ExpectationRow[] = [
  // Story A: nginx's connected resolver socket vs socket-LB translation at connect().
  {
    story: 'auth-url', case: 'terminate-pod-connections-off', variant: 'bpf', cilium: '>=1.18.0', expected: 'affected',
    links: [`${INGRESS_NGINX}9222`, `${CILIUM}27300`, `${CILIUM}33459`],
    basis: 'socket LB translates the kube-dns ClusterIP once at connect(); with pod-netns socket termination off nothing tears the stale socket down',
  },
  {
    story: 'auth-url', case: 'default', variant: 'bpf', cilium: '>=1.18.0', expected: 'healthy',
    links: [`${CILIUM}33459`, `${CILIUM}37745`, `${CILIUM}48096`, `${CILIUM}48244`],
    basis: 'bpf-lb-sock-terminate-pod-connections (on by default since 1.16) destroys sockets to deleted backends; mixed-protocol fix in 1.17.5/1.18',
  },
  {
    story: 'auth-url', case: 'host-namespace-only', variant: 'bpf', cilium: '>=1.18.0', expected: 'healthy',
    links: [`${CILIUM}12859`, `${CILIUM}28820`],
    basis: 'socketLB.hostNamespaceOnly=true leaves pod traffic to per-packet translation in bpf_lxc',
  },
  {
    story: 'auth-url', case: 'kube-proxy', variant: 'kube-proxy', cilium: '*', expected: 'healthy',
    links: [`${INGRESS_NGINX}9222`],
    basis: 'kube-proxy DNATs per packet, so a connected UDP socket follows the new endpoints',
  },
  // Story B: misconfiguration, version independent: the harness canary.
  {
    story: 'ingress-status', case: 'misconfigured', variant: 'puzzle', cilium: '*', expected: 'affected',
    links: ['https://github.com/kubernetes/ingress-nginx/blob/main/internal/ingress/status/status.go'],
    basis: 'an unscoped controller without a publish service writes its pods\' node IPs into every Ingress status',
  },
  {
    story: 'ingress-status', case: 'fixed', variant: 'puzzle', cilium: '*', expected: 'healthy',
    links: [], basis: 'scope on and publish service on: each controller writes only its own LoadBalancer IP',
  },
  // Story C: FORWARD chain order when kube-proxy starts after Cilium.
  {
    story: 'forward-order', case: 'structural', variant: 'race', cilium: '*', expected: 'affected',
    links: [`${CILIUM}31372`, `${CILIUM}34661`],
    basis: 'whoever inserts its FORWARD jump last is first: restarting kube-proxy after Cilium puts KUBE-FORWARD ahead',
  },
  {
    story: 'forward-order', case: 'data-plane', variant: 'race', cilium: '>=1.18.0 <1.21.0', expected: 'healthy',
    links: [`${KUBERNETES}74840`, `${KUBERNETES}120412`],
    basis: 'observed 2026-11-22 on 1.18.11, 1.19.7 and 1.20.2 (local images, kind v1.34.12, npm run matrix): order inverted, yet 20/20 fresh connections to a target on the kind network succeeded',
  },
  {
    story: 'forward-order', case: 'data-plane', variant: 'race', cilium: '*', expected: 'unknown',
    links: [`${KUBERNETES}74840`, `${KUBERNETES}120412`],
    basis: 'not characterised outside 1.18–1.20: reported, not judged, until a run pins it',
  },
  {
    story: 'forward-order', case: 'healed', variant: 'race', cilium: '*', expected: 'healthy',
    links: [`${CILIUM}34661`], basis: 'a restarted Cilium agent re-inserts its FORWARD jump at the top',
  },
  // Story D: CT_SERVICE backend stickiness under policy; fixed since 1.12 / 1.16.
  {
    story: 'load-balance', case: '*', variant: 'cnp', cilium: '>=1.16.0', expected: 'healthy',
    links: [`${CILIUM}14268`, `${CILIUM}14250`, 'https://github.com/cilium/cilium/pull/19451', 'https://github.com/cilium/cilium/pull/33907'],
    basis: 'backends are re-selected on SYN when the CT_SERVICE entry has been closing >30 s (1.12), refined in 1.16',
  },
  // Harness self-check.
  { story: 'harness', case: '*', variant: 'smoke', cilium: '*', expected: 'healthy', links: [], basis: 'the harness works' },
];
