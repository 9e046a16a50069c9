// usage: node udp.mjs OUTPREFIX TARGET... (TARGET: ip:port, [ip6]:port, or bind:PORT)
// The resolver-pod sample was made in a namespace with the seed's pod IP:
//   ip netns add nr-dns; ip link add eth0 netns nr-dns type veth peer name nrdnspeer
//   ip -n nr-dns addr add 10.242.0.36/16 dev eth0; ip -n nr-dns addr add fd00:10:242::24/64 dev eth0 nodad
//   ip link set nrdnspeer up; ip -n nr-dns link set eth0 up; ip -n nr-dns route add default dev eth0; ip -n nr-dns -6 route add default dev eth0
//   ip netns exec nr-dns node udp.mjs /tmp/pod 10.242.1.170:53 10.242.1.170:53 10.242.2.84:53 10.96.0.10:53 bind:8125 '[fd00:10:96::a]:53'
// Opens UDP sockets the way nginx's resolver does (connect() once, keep it) and dumps
// /proc/net/udp and /proc/net/udp6 of this network namespace while they are open.
import dgram from 'node:dgram';
import { readFileSync, writeFileSync } from 'node:fs';
const [out, ...targets] = process.argv.slice(2);
const socks = [];
for (const t of targets) {
  if (t.startsWith('bind:')) { // an unconnected socket, like a plain listener
    const s = dgram.createSocket('udp4'); await new Promise(r => s.bind(Number(t.slice(5)), r)); socks.push(s); continue;
  }
  const v6 = t.startsWith('[');
  const host = v6 ? t.slice(1, t.indexOf(']')) : t.split(':')[0];
  const port = Number(t.slice(t.lastIndexOf(':') + 1));
  const s = dgram.createSocket(v6 ? 'udp6' : 'udp4');
  await new Promise((r, j) => { s.once('error', j); s.connect(port, host, r); });
  socks.push(s);
}
writeFileSync(`${out}-udp.txt`, readFileSync('/proc/self/net/udp'));
writeFileSync(`${out}-udp6.txt`, readFileSync('/proc/self/net/udp6'));
for (const s of socks) s.close();
