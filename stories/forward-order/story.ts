import { defineStory } from '../../harness/story.ts';
import { CILIUM_ISSUE, CILIUM_PULL, KUBERNETES_ISSUE } from '../../harness/links.ts';

/** Tunnel-mode pod-to-world egress with BPF host routing goes through the FIB, not the stack: cilium#35098, in 1.16.5 (backport #35861) and 1.17.0. */
const FIB_EGRESS_LINKS = [`${CILIUM_ISSUE}35023`, `${CILIUM_PULL}35098`, `${CILIUM_PULL}35861`];

export const forwardOrder = defineStory(import.meta.url, {
  id: 'forward-order',
  title: 'kube-proxy starts after Cilium and its FORWARD rules come first',
  cases: ['structural', 'data-plane', 'data-plane-legacy-routing', 'healed'],
  expectations: [
    {
      case: 'structural', variant: 'race', cilium: '*', expected: 'affected',
      links: [`${CILIUM_ISSUE}31372`, `${CILIUM_ISSUE}34661`],
      basis: 'whoever inserts its FORWARD jump last is first: restarting kube-proxy after Cilium puts KUBE-FORWARD ahead',
    },
    {
      // positive control: race runs 1.16.4 (pins.json cilium.controls)
      case: 'data-plane', variant: 'race', cilium: '>=1.16.0 <1.16.5', expected: 'affected',
      links: FIB_EGRESS_LINKS,
      basis: 'observed 2026-12-04 on 1.16.4 (local images, kind v1.34.12, host routing bpf, nf_conntrack_tcp_be_liberal 0): order inverted, 0/20 fresh connections succeeded, KUBE-FORWARD dropped 271 INVALID packets, 291 packets went from FORWARD into KUBE-FORWARD; mechanism: before cilium#35098 (1.16.5) tunnel-mode pod-to-world egress with BPF host routing is passed up the stack (cilium#35023), so the pod\'s packets meet netfilter FORWARD while the SYN-ACK, reverse-translated by BPF masquerade, is delivered around conntrack; the ACK is INVALID and KUBE-FORWARD, now first, drops it',
    },
    {
      case: 'data-plane', variant: 'race', cilium: '>=1.16.5 <1.21.0', expected: 'healthy',
      links: [`${KUBERNETES_ISSUE}74840`, `${KUBERNETES_ISSUE}120412`, ...FIB_EGRESS_LINKS],
      basis: 'observed 2026-11-22 on 1.18.11, 1.19.7 and 1.20.2 (local images, kind v1.34.12, npm run matrix): order inverted, yet 20/20 fresh connections to a target on the kind network succeeded; mechanism: since cilium#35098 (1.16.5, backport #35861; 1.17.0) tunnel-mode pod-to-world egress with BPF host routing leaves through the FIB and never meets netfilter FORWARD',
    },
    {
      case: 'data-plane', variant: 'race', cilium: '*', expected: 'unknown',
      links: [`${KUBERNETES_ISSUE}74840`, `${KUBERNETES_ISSUE}120412`],
      basis: 'not characterised from 1.21 on: reported, not judged, until a run pins it',
    },
    {
      case: 'data-plane-legacy-routing', variant: 'race', cilium: '>=1.16.0 <1.21.0', expected: 'healthy',
      links: [`${KUBERNETES_ISSUE}120412`, ...FIB_EGRESS_LINKS],
      basis: 'control; observed 2026-12-04 on 1.16.4 (host routing legacy): order inverted, 20/20 connections, 0 INVALID drops although 203 packets went through KUBE-FORWARD; mechanism: with bpf.hostLegacyRouting=true pod traffic crosses the kernel stack in both directions, so conntrack sees the SYN-ACK and the ACK is ESTABLISHED, never INVALID, on any version',
    },
    {
      case: 'data-plane-legacy-routing', variant: 'race', cilium: '*', expected: 'unknown',
      links: [`${KUBERNETES_ISSUE}120412`],
      basis: 'not characterised from 1.21 on: reported, not judged, until a run pins it',
    },
    {
      case: 'healed', variant: 'race', cilium: '*', expected: 'healthy',
      links: [`${CILIUM_ISSUE}34661`], basis: 'a restarted Cilium agent re-inserts its FORWARD jump at the top',
    },
  ],
});
