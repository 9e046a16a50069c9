// Opens N fresh TCP connections (one request each) and reports ok/fail.
// With --hold, then keeps one connection open until /tmp/nr/go exists and sends on it
// (the router flushes conntrack in between, so that segment is INVALID there).
import net from 'node:net';
import { existsSync } from 'node:fs';
const N = Number(process.argv[2] ?? 5);
const hold = process.argv.includes('--hold');
let ok = 0, fail = 0;
function one() {
  return new Promise(res => {
    const s = net.connect(8080, '192.168.99.2');
    const t = setTimeout(() => { fail++; s.destroy(); res(); }, 2000);
    s.on('connect', () => s.write('hi'));
    s.on('data', () => { ok++; clearTimeout(t); s.end(); res(); });
    s.on('error', () => { fail++; clearTimeout(t); res(); });
  });
}
for (let i = 0; i < N; i++) await one();
console.log(`fresh connections: ok=${ok} fail=${fail}`);
if (hold) {
  const s = net.connect(8080, '192.168.99.2');
  await new Promise(r => s.on('connect', r));
  console.log('held connection open');
  while (!existsSync('/tmp/nr/go')) await new Promise(r => setTimeout(r, 100));
  let got = false;
  s.on('data', () => { got = true; });
  s.write('after-flush');
  await new Promise(r => setTimeout(r, 3000));
  console.log(`after conntrack flush: reply received=${got}`);
  process.exit(0);
}
