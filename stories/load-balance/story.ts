import { defineStory } from '../../harness/story.ts';
import { CILIUM_ISSUE, CILIUM_PULL } from '../../harness/links.ts';
import { GRACE_FLOOR, STICKINESS_TEST } from './grace.ts';

export const loadBalance = defineStory(import.meta.url, {
  id: 'load-balance',
  title: 'backend load turns uneven under CiliumNetworkPolicy',
  cases: ['P0', 'P1', 'P2', 'P1-L7', 'P2-L7', 'stickiness', 'stickiness-immediate', 'stickiness-affinity'],
  timerFloor: (test) => (test.endsWith(STICKINESS_TEST) ? GRACE_FLOOR : undefined),
  expectations: [
    // The stickiness detector's positive control: sticky by design, on every version.
    {
      case: 'stickiness-affinity', variant: 'cnp', cilium: '*', expected: 'affected',
      links: ['https://github.com/kubernetes/website/blob/main/content/en/docs/reference/networking/virtual-ips.md'],
      basis: 'sessionAffinity: ClientIP sends every connection of one client address to one backend (3 h by default), so every reused port must reach the same backend: the detector has to read sticky here',
    },
    {
      case: 'stickiness-immediate', variant: 'cnp', cilium: '>=1.20.0 <1.21.0', expected: 'healthy',
      links: [`${CILIUM_PULL}19451`, `${CILIUM_PULL}20407`, `${CILIUM_PULL}33907`],
      basis: 'observed here 2026-12-03 on 1.20.2: every one of 150 ports reused at once (the client aborts, the server closed first), 52 of them (34.7%, chance 33%) on the same backend; the after-grace round 44/150 (29.3%), the ClientIP control 150/150. A SYN reopening a just-closed entry gets a fresh choice',
    },
    {
      case: 'stickiness-immediate', variant: 'cnp', cilium: '>=1.12.0', expected: 'unknown',
      links: [`${CILIUM_PULL}19451`, `${CILIUM_ISSUE}20382`, `${CILIUM_PULL}20407`, `${CILIUM_PULL}33907`],
      basis: 'a SYN reopening a closing CT_SERVICE entry within the grace keeps its backend by design (#20407), but since #33907 (1.16) a closed entry may already be gone; healthy on 1.20.2 (row above); other minors not run with the port reuser yet',
    },
    // The L7 phases need Envoy, which the images built here do not carry (l7Proxy=false).
    {
      case: 'P1-L7', variant: 'cnp', cilium: '>=1.16.0', expected: 'unknown',
      links: [`${CILIUM_ISSUE}14268`, `${CILIUM_PULL}14594`],
      basis: 'the seed\'s 5xx came from Envoy opening upstream connections with the original source address (#14268, fixed in 1.10 by #14594); not run yet: needs upstream images with Envoy',
    },
    {
      case: 'P2-L7', variant: 'cnp', cilium: '>=1.16.0', expected: 'unknown',
      links: [`${CILIUM_ISSUE}14268`, `${CILIUM_PULL}14594`],
      basis: 'as P1-L7, with Envoy on the client side too; not run yet: needs upstream images with Envoy',
    },
    // CT_SERVICE backend stickiness under policy; fixed since 1.12 / 1.16.
    {
      case: '*', variant: 'cnp', cilium: '>=1.16.0', expected: 'healthy',
      links: [`${CILIUM_ISSUE}14268`, `${CILIUM_ISSUE}14250`, `${CILIUM_PULL}19451`, `${CILIUM_PULL}33907`],
      basis: 'backends are re-selected on SYN when the CT_SERVICE entry has been closing >30 s (1.12), refined in 1.16',
    },
  ],
});
