import { defineStory } from '../../harness/story.ts';
import { CILIUM_ISSUE, KUBERNETES_ISSUE } from '../../harness/links.ts';

export const forwardOrder = defineStory(import.meta.url, {
  id: 'forward-order',
  title: 'kube-proxy starts after Cilium and its FORWARD rules come first',
  cases: ['structural', 'data-plane', 'healed'],
  expectations: [
    {
      case: 'structural', variant: 'race', cilium: '*', expected: 'affected',
      links: [`${CILIUM_ISSUE}31372`, `${CILIUM_ISSUE}34661`],
      basis: 'whoever inserts its FORWARD jump last is first: restarting kube-proxy after Cilium puts KUBE-FORWARD ahead',
    },
    {
      case: 'data-plane', variant: 'race', cilium: '>=1.18.0 <1.21.0', expected: 'healthy',
      links: [`${KUBERNETES_ISSUE}74840`, `${KUBERNETES_ISSUE}120412`],
      basis: 'observed 2026-11-22 on 1.18.11, 1.19.7 and 1.20.2 (local images, kind v1.34.12, npm run matrix): order inverted, yet 20/20 fresh connections to a target on the kind network succeeded',
    },
    {
      case: 'data-plane', variant: 'race', cilium: '*', expected: 'unknown',
      links: [`${KUBERNETES_ISSUE}74840`, `${KUBERNETES_ISSUE}120412`],
      basis: 'not characterised outside 1.18–1.20: reported, not judged, until a run pins it',
    },
    {
      case: 'healed', variant: 'race', cilium: '*', expected: 'healthy',
      links: [`${CILIUM_ISSUE}34661`], basis: 'a restarted Cilium agent re-inserts its FORWARD jump at the top',
    },
  ],
});
