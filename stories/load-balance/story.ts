import { defineStory } from '../../harness/story.ts';
import { CILIUM_ISSUE, CILIUM_PULL } from '../../harness/links.ts';

export const loadBalance = defineStory(import.meta.url, {
  id: 'load-balance',
  title: 'backend load turns uneven under CiliumNetworkPolicy',
  cases: ['P0', 'P1', 'P2', 'P1-L7', 'P2-L7', 'stickiness', 'stickiness-immediate'],
  expectations: [
    // The positive control of the stickiness measurement: sticky by design.
    {
      case: 'stickiness-immediate', variant: 'cnp', cilium: '>=1.12.0', expected: 'unknown',
      links: [`${CILIUM_PULL}19451`, `${CILIUM_ISSUE}20382`, `${CILIUM_PULL}20407`, `${CILIUM_PULL}33907`],
      basis: 'meant as the positive control (a SYN reopening a closing CT_SERVICE entry keeps its backend within the grace), but the first run here (2026-12-02, 1.20.2) contradicts it: of 50 ports reused at once, 15 (30%) reached the same backend; the other 100 could not be reused at once (the client held the port in TIME_WAIT). Unknown until the round reuses every port',
    },
    // CT_SERVICE backend stickiness under policy; fixed since 1.12 / 1.16.
    {
      case: '*', variant: 'cnp', cilium: '>=1.16.0', expected: 'healthy',
      links: [`${CILIUM_ISSUE}14268`, `${CILIUM_ISSUE}14250`, `${CILIUM_PULL}19451`, `${CILIUM_PULL}33907`],
      basis: 'backends are re-selected on SYN when the CT_SERVICE entry has been closing >30 s (1.12), refined in 1.16',
    },
  ],
});
