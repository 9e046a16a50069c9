import { defineStory } from '../../harness/story.ts';
import { CILIUM_ISSUE, CILIUM_PULL, KUBERNETES_ISSUE, KUBERNETES_PULL } from '../../harness/links.ts';
import { ALL_CASES, casesOn, scenarioFloor } from './cases.ts';

export const udpClients = defineStory(import.meta.url, {
  id: 'udp-clients',
  title: 'UDP clients follow their Service when its backend changes',
  cases: ALL_CASES,
  casesOn,
  timerFloor: scenarioFloor,
  expectations: [
    // Socket LB (bpf): a connected socket was translated once, at connect(); only socket termination moves it.
    {
      case: 'replaced-connected', variant: 'bpf', cilium: '>=1.18.0', expected: 'healthy',
      links: [`${CILIUM_ISSUE}28820`, `${CILIUM_PULL}36508`],
      basis: 'bpf-lb-sock-terminate-pod-connections (default on) destroys UDP sockets whose backend is deleted; the client opens a new socket and is translated to the new backend',
    },
    {
      case: 'replaced-unconnected', variant: 'bpf', cilium: '>=1.19.0', expected: 'affected',
      links: [`${CILIUM_ISSUE}48564`, `${CILIUM_PULL}38693`, `${CILIUM_PULL}48725`],
      basis: 'since the BPF socket iterator (1.19.0) a reverse-NAT entry is taken for a connected socket, so a socket that only sendto()s the Service is aborted (ECONNABORTED) too; open upstream',
    },
    {
      case: 'replaced-unconnected', variant: 'bpf', cilium: '>=1.18.0 <1.19.0', expected: 'healthy',
      links: [`${CILIUM_ISSUE}48564`],
      basis: "1.18's netlink destroyer matches the socket's destination, which is 0.0.0.0:0 for an unconnected socket, so it is left alone; sendmsg translates each datagram anew",
    },
    {
      case: 'rev-map-evicted-connected', variant: 'bpf', cilium: '>=1.18.0', expected: 'affected',
      links: [`${CILIUM_ISSUE}42649`, `${CILIUM_ISSUE}42658`, `${CILIUM_ISSUE}48244`, `${CILIUM_ISSUE}40336`, `${CILIUM_PULL}44835`],
      basis: 'termination finds sockets through the LRU map cilium_lb4_reverse_sk; entries of unconnected sockets are never removed, fill it, and the connected socket\'s entry is evicted, so its socket is skipped and stays on the deleted backend; a known issue in the 1.18–1.20 docs, open',
    },
    {
      case: 'rev-map-evicted-unconnected', variant: 'bpf', cilium: '>=1.19.0', expected: 'affected',
      links: [`${CILIUM_ISSUE}48564`],
      basis: 'the unconnected socket refreshes its own entry with every sendto(), so it is found and aborted as in replaced-unconnected',
    },
    {
      case: 'rev-map-evicted-unconnected', variant: 'bpf', cilium: '>=1.18.0 <1.19.0', expected: 'healthy',
      links: [`${CILIUM_ISSUE}48564`],
      basis: 'as replaced-unconnected on 1.18: nothing tears the unconnected socket down and each datagram is translated anew',
    },
    {
      case: 'terminating-per-packet-connected', variant: 'bpf', cilium: '>=1.19.0', expected: 'affected',
      links: [`${CILIUM_ISSUE}48714`, `${CILIUM_PULL}40969`, `${CILIUM_PULL}48715`],
      basis: 'terminating-not-serving backends stay in the BPF maps; an existing UDP flow keeps its conntrack entry and its backend (no SYN to reselect) until the pod is deleted; open upstream',
    },
    {
      case: 'terminating-per-packet-unconnected', variant: 'bpf', cilium: '>=1.19.0', expected: 'affected',
      links: [`${CILIUM_ISSUE}48714`],
      basis: 'the unconnected socket keeps its source port, so its datagrams are the same flow and hit the same conntrack entry as the connected one',
    },
    {
      case: 'terminating-unconnected', variant: 'bpf', cilium: '>=1.19.0', expected: 'affected',
      links: [`${CILIUM_ISSUE}48564`],
      basis: 'a backend that is terminating and not serving is no longer alive, which starts socket termination; on 1.19+ that aborts the unconnected socket too',
    },
    // Not said upstream: unknown until observed here, then pinned with the date.
    {
      case: 'terminating-connected', variant: 'bpf', cilium: '>=1.18.0', expected: 'affected',
      links: [`${CILIUM_PULL}40969`, `${CILIUM_ISSUE}48714`],
      basis: 'observed here 2026-12-02 on 1.18.11, 1.19.7 and 1.20.2: a terminating, not serving backend does not start socket termination; the connected socket stayed on the stopped server (65 ICMP port-unreachable reports) and was aborted only when the pod was deleted, 61 s of silence',
    },
    {
      case: 'terminating-unconnected', variant: 'bpf', cilium: '>=1.18.0 <1.19.0', expected: 'healthy',
      links: [`${CILIUM_ISSUE}48564`],
      basis: 'observed here 2026-12-02 on 1.18.11: no abort, at most 0.6 s of silence (the netlink destroyer leaves unconnected sockets alone)',
    },
    {
      case: 'terminating-per-packet-connected', variant: 'bpf', cilium: '>=1.18.0 <1.19.0', expected: 'affected',
      links: [`${CILIUM_ISSUE}48714`, `${CILIUM_PULL}42708`],
      basis: 'the change that keeps terminating backends was backported to 1.18 (#42708); observed here 2026-12-02 on 1.18.11: 60.5 s of silence',
    },
    {
      case: 'terminating-per-packet-unconnected', variant: 'bpf', cilium: '>=1.18.0 <1.19.0', expected: 'affected',
      links: [`${CILIUM_ISSUE}48714`, `${CILIUM_PULL}42708`],
      basis: 'as terminating-per-packet-connected on 1.18; observed 2026-12-02 on 1.18.11: 60.5 s',
    },
    // kube-proxy: host-network clients, iptables DNAT per packet; conntrack keeps a flow on its backend until kube-proxy deletes the entry.
    {
      case: 'terminating-connected', variant: 'kube-proxy', cilium: '*', expected: 'affected',
      links: [`${KUBERNETES_ISSUE}126130`, `${KUBERNETES_PULL}127318`],
      basis: 'observed here 2026-12-02 with kube-proxy v1.34.12: the conntrack flows to the terminating, not serving endpoint stay (2 to the old pod 10 s in) until the pod is deleted; 60 s of silence. The reconciler clears flows when endpoints are removed, not when one stops serving',
    },
    {
      case: 'terminating-unconnected', variant: 'kube-proxy', cilium: '*', expected: 'affected',
      links: [`${KUBERNETES_ISSUE}126130`, `${KUBERNETES_PULL}127318`],
      basis: 'as terminating-connected: the unconnected socket keeps its source port, so its datagrams are the same conntrack flow',
    },
    {
      case: '*', variant: 'kube-proxy', cilium: '*', expected: 'healthy',
      links: [`${KUBERNETES_ISSUE}126130`, `${KUBERNETES_PULL}127318`, `${KUBERNETES_ISSUE}139628`],
      basis: "since 1.32 kube-proxy's conntrack reconciler deletes UDP flows whose backend is gone after each endpoint change; the rollout has the new endpoint Ready first, so the Service never has zero endpoints (the gap of #139628)",
    },
  ],
});
