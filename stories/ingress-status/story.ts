import { defineStory } from '../../harness/story.ts';
import { WATCH_FLOOR } from './watch.ts';

export const ingressStatus = defineStory(import.meta.url, {
  id: 'ingress-status',
  title: 'Ingress status flaps between controllers',
  cases: ['misconfigured', 'classless', 'fixed'],
  timerFloor: () => WATCH_FLOOR,
  expectations: [
    // A misconfiguration, version independent: the harness canary.
    {
      case: 'misconfigured', variant: 'puzzle', cilium: '*', expected: 'affected',
      links: ['https://github.com/kubernetes/ingress-nginx/blob/main/internal/ingress/status/status.go'],
      basis: 'an unscoped controller without a publish service writes its pods\' node IPs into every Ingress status',
    },
    {
      case: 'classless', variant: 'puzzle', cilium: '*', expected: 'affected',
      links: ['https://github.com/kubernetes/ingress-nginx/blob/main/internal/ingress/status/status.go', 'https://github.com/networkop/ingress-puzzle'],
      basis: 'the seed\'s shape: Ingresses without a class, claimed by every controller that watches classless Ingresses; the unscoped one without a publish service writes node IPs into all of them',
    },
    {
      case: 'fixed', variant: 'puzzle', cilium: '*', expected: 'healthy',
      links: [], basis: 'scope on and publish service on: each controller writes only its own LoadBalancer IP',
    },
  ],
});
