import { defineStory } from '../../harness/story.ts';

export const harnessSelfCheck = defineStory(import.meta.url, {
  id: 'harness',
  title: 'the harness can see and disturb a cluster',
  cases: ['nodes', 'dns', 'service', 'restart-coredns', 'restart-kube-proxy'],
  expectations: [{ case: '*', variant: 'smoke', cilium: '*', expected: 'healthy', links: [], basis: 'the harness works' }],
});
