#!/bin/bash
# usage: scenario.sh kube-first|cilium-first OUTDIR [counters]   (root; needs iptables, conntrack, node; setpriv for counters)
# counters: also read the run out in the counter-carrying formats: `iptables-save -c`,
# `iptables -v -S`, and `conntrack -S` run without CAP_NET_ADMIN.
# Recreates story C in three network namespaces: pod <-> node (router with the FORWARD rules) <-> ext.
set -e
order=$1; out=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p /tmp/nr
for n in nr-pod nr-node nr-ext; do ip netns del $n 2>/dev/null || true; ip netns add $n; done
ip link add lxc3055a222b7f1 netns nr-node type veth peer name eth0 netns nr-pod
ip link add eth0 netns nr-node type veth peer name eth0 netns nr-ext
ip -n nr-pod addr add 172.16.0.30/24 dev eth0; ip -n nr-pod link set eth0 up; ip -n nr-pod link set lo up
ip -n nr-node addr add 172.16.0.1/24 dev lxc3055a222b7f1; ip -n nr-node link set lxc3055a222b7f1 up
ip -n nr-node addr add 192.168.99.1/24 dev eth0; ip -n nr-node link set eth0 up
ip -n nr-ext addr add 192.168.99.2/24 dev eth0; ip -n nr-ext link set eth0 up
ip -n nr-pod route add default via 172.16.0.1
ip -n nr-ext route add 172.16.0.0/24 via 192.168.99.1
X="ip netns exec nr-node iptables"
cilium_chain() {
  $X -N CILIUM_FORWARD
  $X -A CILIUM_FORWARD -o cilium_host -m comment --comment "cilium: any->cluster on cilium_host forward accept" -j ACCEPT
  $X -A CILIUM_FORWARD -i cilium_host -m comment --comment "cilium: cluster->any on cilium_host forward accept (nodeport)" -j ACCEPT
  $X -A CILIUM_FORWARD -i lxc+ -m comment --comment "cilium: cluster->any on lxc+ forward accept" -j ACCEPT
  $X -A CILIUM_FORWARD -i cilium_net -m comment --comment "cilium: cluster->any on cilium_net forward accept (nodeport)" -j ACCEPT
  $X -I FORWARD 1 -m comment --comment "cilium-feeder: CILIUM_FORWARD" -j CILIUM_FORWARD
}
kube_chains() {
  for c in KUBE-PROXY-FIREWALL KUBE-FORWARD KUBE-SERVICES KUBE-EXTERNAL-SERVICES; do $X -N $c; done
  $X -A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
  $X -A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
  $X -A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
  $X -I FORWARD 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
  $X -I FORWARD 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
  $X -I FORWARD 1 -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
  $X -I FORWARD 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
}
# whoever starts last inserts its FORWARD jump on top
if [ "$order" = kube-first ]; then cilium_chain; kube_chains; else kube_chains; cilium_chain; fi
ip netns exec nr-node sysctl -qw net.ipv4.ip_forward=1
ip netns exec nr-node sysctl -qw net.netfilter.nf_conntrack_tcp_loose=0
ip netns exec nr-ext node "$here/server.mjs" > /tmp/nr/server-$order.log 2>&1 & spid=$!
sleep 0.5
rm -f /tmp/nr/go
if [ "$order" = kube-first ]; then
  ip netns exec nr-pod node "$here/client.mjs" 20 --hold > /tmp/nr/client-$order.log 2>&1 & cpid=$!
  for i in $(seq 1 100); do grep -q held /tmp/nr/client-$order.log && break; sleep 0.1; done
  ip netns exec nr-node conntrack -F 2>/dev/null
  touch /tmp/nr/go
  wait $cpid
else
  ip netns exec nr-pod node "$here/client.mjs" 20 > /tmp/nr/client-$order.log 2>&1
fi
kill $spid
cat /tmp/nr/client-$order.log
ip netns exec nr-node iptables -S > $out/iptables-S-$order.txt
ip netns exec nr-node iptables -nvL -x > $out/iptables-nvL-x-$order.txt
ip netns exec nr-node conntrack -S > $out/conntrack-S-$order.txt
if [ "${3:-}" = counters ]; then
  ip netns exec nr-node iptables-save -c > $out/iptables-save-c-$order.txt
  ip netns exec nr-node iptables -v -S > $out/iptables-S-v-$order.txt
  # conntrack-tools 1.4.7 without CAP_NET_ADMIN: netlink refused, falls back to /proc/net/stat/nf_conntrack,
  # then reports the failure (exit 1). Both streams, as a shell or `docker exec ... 2>&1` shows them.
  ip netns exec nr-node setpriv --bounding-set=-net_admin --inh-caps=-net_admin conntrack -S > $out/conntrack-S-no-cap-net-admin.txt 2>&1 || true
fi
for n in nr-pod nr-node nr-ext; do ip netns del $n; done
