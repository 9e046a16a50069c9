import { describe, expect, test } from 'vitest';
import {
  dropPacketsIn, firstForwardJump, forwardJumpOrder, hasInvalidDrop, jumpPackets, listedRules, parseIptablesList, parseIptablesS,
} from './iptables.ts';
import { UnrecognisedInput } from './result.ts';
import { parseSample } from './samples.ts';

const kubeFirst = parseIptablesS(parseSample('iptables-S-forward-kube-first.txt'));

describe('parseIptablesS', () => {

  test('reads policies, chains and rules of a real listing', () => {
    expect(kubeFirst.policies).toEqual({ INPUT: 'ACCEPT', FORWARD: 'ACCEPT', OUTPUT: 'ACCEPT' });
    expect(kubeFirst.chains).toEqual([
      'INPUT', 'FORWARD', 'OUTPUT', 'CILIUM_FORWARD', 'KUBE-EXTERNAL-SERVICES', 'KUBE-FORWARD', 'KUBE-PROXY-FIREWALL', 'KUBE-SERVICES',
    ]);
    expect(kubeFirst.rules).toHaveLength(12);
  });

  test('splits matches, target and the quoted comment', () => {
    const drop = kubeFirst.rules.find((r) => r.chain === 'KUBE-FORWARD' && r.target === 'DROP');
    expect(drop).toEqual({
      chain: 'KUBE-FORWARD', target: 'DROP', goto: false,
      matches: ['-m', 'conntrack', '--ctstate', 'INVALID'], targetArgs: [],
      raw: '-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP',
    });
    const feeder = kubeFirst.rules.find((r) => r.target === 'CILIUM_FORWARD');
    expect(feeder?.comment).toBe('cilium-feeder: CILIUM_FORWARD');
    expect(feeder?.matches).toEqual(['-m', 'comment', '--comment', 'cilium-feeder: CILIUM_FORWARD']);
  });

  test('FORWARD jump order: kube-proxy last to start is first (recorded)', () => {
    expect(forwardJumpOrder(kubeFirst.rules)).toEqual([
      'KUBE-PROXY-FIREWALL', 'KUBE-FORWARD', 'KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'CILIUM_FORWARD',
    ]);
    expect(firstForwardJump(kubeFirst.rules)).toBe('KUBE-PROXY-FIREWALL');
  });

  test('FORWARD jump order: Cilium last to start is first (recorded)', () => {
    const ciliumFirst = parseIptablesS(parseSample('iptables-S-forward-cilium-first.txt'));
    expect(firstForwardJump(ciliumFirst.rules)).toBe('CILIUM_FORWARD');
    expect(forwardJumpOrder(ciliumFirst.rules).indexOf('KUBE-FORWARD')).toBe(2);
  });

  test('seed 003 grep output: negated ctstate and the INVALID drop', () => {
    const { rules } = parseIptablesS(parseSample('iptables-S-ctstate-drops-seed003.txt'));
    expect(rules.map((r) => [r.chain, r.target])).toEqual([['KUBE-FIREWALL', 'DROP'], ['KUBE-FORWARD', 'DROP']]);
    expect(rules[0]?.comment).toBe('block incoming localnet connections');
    expect(rules[0]?.matches).toContain('!');
    expect(forwardJumpOrder(rules)).toEqual([]);
  });

  test('goto, target arguments, escaped quotes, rules without target', () => {
    const { rules } = parseIptablesS([
      '-A KUBE-SVC-X -m comment --comment "ns/svc:dns \\"udp\\"" -g KUBE-SEP-Y',
      '-A KUBE-SEP-Y -p udp -j DNAT --to-destination 10.242.1.44:53',
      '-A COUNT -s 10.0.0.0/8',
    ].join('\n'));
    expect(rules[0]).toMatchObject({ target: 'KUBE-SEP-Y', goto: true, comment: 'ns/svc:dns "udp"' });
    expect(rules[1]?.targetArgs).toEqual(['--to-destination', '10.242.1.44:53']);
    expect(rules[2]?.target).toBeUndefined();
    expect(rules[2]?.matches).toEqual(['-s', '10.0.0.0/8']);
  });

  test('empty input is an empty result', () => {
    expect(parseIptablesS('')).toEqual({ policies: {}, chains: [], declarations: [], rules: [], skipped: { count: 0 } });
    expect(kubeFirst.skipped).toEqual({ count: 0 });
  });
});

describe('parseIptablesS: counters (iptables-save -c, iptables -v -S)', () => {
  // Upstream, cilium/cilium#11819: `iptables-save -c | grep -i forward` on a node where Cilium's jump is first.
  const healthy = parseIptablesS(parseSample('iptables-save-c-grep-forward-cilium-pr11819.txt'));

  test('[packets:bytes] rule prefix (real, cilium#11819): every rule read, with its counters', () => {
    expect(healthy.skipped).toEqual({ count: 0 });
    expect(healthy.rules).toHaveLength(14);
    expect(healthy.rules[0]).toEqual({
      chain: 'FORWARD', target: 'CILIUM_FORWARD', goto: false, packets: 32, bytes: 6449,
      matches: ['-m', 'comment', '--comment', 'cilium-feeder: CILIUM_FORWARD'], targetArgs: [],
      comment: 'cilium-feeder: CILIUM_FORWARD',
      raw: '[32:6449] -A FORWARD -m comment --comment "cilium-feeder: CILIUM_FORWARD" -j CILIUM_FORWARD',
    });
    expect(healthy.rules[7]).toMatchObject({ matches: ['-i', 'br-8ed96ba6747a', '!', '-o', 'br-8ed96ba6747a'], target: 'ACCEPT', packets: 0 });
    expect(forwardJumpOrder(healthy.rules)).toEqual([
      'CILIUM_FORWARD', 'KUBE-FORWARD', 'KUBE-SERVICES', 'DOCKER-USER', 'DOCKER-ISOLATION-STAGE-1', 'DOCKER', 'DOCKER',
    ]);
  });

  test(':CHAIN POLICY [packets:bytes] declarations (real, cilium#11819): grep kept two FORWARD chains of two tables', () => {
    expect(healthy.declarations).toEqual([
      { chain: 'FORWARD', policy: 'ACCEPT', packets: 5360, bytes: 1318110 },
      { chain: 'FORWARD', policy: 'DROP', packets: 7, bytes: 420 },
      { chain: 'CILIUM_FORWARD', packets: 0, bytes: 0 },
      { chain: 'KUBE-FORWARD', packets: 0, bytes: 0 },
    ]);
    expect(healthy.chains).toEqual(['FORWARD', 'CILIUM_FORWARD', 'KUBE-FORWARD']);
    expect(healthy.policies).toEqual({ FORWARD: 'DROP' });
  });

  test('recorded full iptables-save -c: headers recognised, table, policies and the 6 INVALID drops', () => {
    const saved = parseIptablesS(parseSample('iptables-save-c-kube-first.txt'));
    expect(saved.skipped).toEqual({ count: 0 });
    expect(saved.policies).toEqual(kubeFirst.policies);
    expect(saved.chains).toEqual(kubeFirst.chains);
    expect(saved.declarations[1]).toEqual({ chain: 'FORWARD', table: 'filter', policy: 'ACCEPT', packets: 0, bytes: 0 });
    expect(saved.rules.map((r) => [r.chain, r.target, r.matches])).toEqual(kubeFirst.rules.map((r) => [r.chain, r.target, r.matches]));
    expect(saved.rules.every((r) => r.table === 'filter')).toBe(true);
    const drop = saved.rules.find((r) => r.chain === 'KUBE-FORWARD' && r.target === 'DROP');
    expect(drop).toMatchObject({ packets: 6, bytes: 367 });
    expect(firstForwardJump(saved.rules)).toBe('KUBE-PROXY-FIREWALL');
  });

  test('recorded iptables -v -S: `-c packets bytes` taken out of the matches', () => {
    const verbose = parseIptablesS(parseSample('iptables-S-v-kube-first.txt'));
    expect(verbose.skipped).toEqual({ count: 0 });
    expect(verbose.policies).toEqual(kubeFirst.policies);
    expect(verbose.declarations[0]).toEqual({ chain: 'INPUT', policy: 'ACCEPT', packets: 0, bytes: 0 });
    expect(verbose.rules.map((r) => [r.chain, r.target, r.matches, r.comment])).toEqual(kubeFirst.rules.map((r) => [r.chain, r.target, r.matches, r.comment]));
    expect(verbose.rules.find((r) => r.target === 'KUBE-FORWARD')).toMatchObject({ packets: 209, bytes: 11439 });
    expect(forwardJumpOrder(verbose.rules)).toEqual(forwardJumpOrder(kubeFirst.rules));
  });

  test('tables other than filter: their chains are keyed table/CHAIN and their FORWARD is not filter\'s', () => {
    const { policies, chains, rules } = parseIptablesS([
      '*mangle', ':FORWARD ACCEPT [10:600]', '[10:600] -A FORWARD -j KUBE-FORWARD', 'COMMIT',
      '*filter', ':FORWARD DROP [0:0]', '[3:180] -A FORWARD -j CILIUM_FORWARD', 'COMMIT',
    ].join('\n'));
    expect(policies).toEqual({ 'mangle/FORWARD': 'ACCEPT', FORWARD: 'DROP' });
    expect(chains).toEqual(['mangle/FORWARD', 'FORWARD']);
    expect(rules.map((r) => r.table)).toEqual(['mangle', 'filter']);
    expect(forwardJumpOrder(rules)).toEqual(['CILIUM_FORWARD']);
  });

  test('a counter that is not a number is an error, not NaN', () => {
    expect(() => parseIptablesS('[x:60] -A FORWARD -j KUBE-FORWARD')).toThrow('packets: "x" is not a whole number');
    expect(() => parseIptablesS(':FORWARD ACCEPT [5360:13e5]')).toThrow('bytes: "13e5" is not a whole number');
    expect(() => parseIptablesS('-A FORWARD -m comment --comment "x" -c 21 -j KUBE-FORWARD')).toThrow('bytes: "-j" is not a whole number');
  });
});

describe('parseIptablesS: input it does not understand', () => {
  test('prose, a kubectl error, an iptables error, binary bytes: an error quoting the first line', () => {
    expect(() => parseIptablesS('The FORWARD chain looks fine to me.\nNothing to see.')).toThrow(UnrecognisedInput);
    expect(() => parseIptablesS('Error from server (NotFound): pods "kube-proxy-x" not found\n'))
      .toThrow('iptables -S / iptables-save output: none of 1 line(s) recognised; first: "Error from server (NotFound): pods "kube-proxy-x" not found"');
    expect(() => parseIptablesS('iptables v1.8.9 (nf_tables): chain `FORWARD\' in table `filter\' is incompatible, use \'nft\' tool.'))
      .toThrow(/first: "iptables v1.8.9 \(nf_tables\): chain/);
    expect(() => parseIptablesS('\u0000\u0001\u0002\u00ff\u0003ELF')).toThrow('first: "???\u00ff?ELF"');
    expect(() => parseIptablesS('# Warning: iptables-legacy tables present, use iptables-legacy to see them\n-A\nnonsense'))
      .toThrow('none of 3 line(s) recognised; first: "# Warning: iptables-legacy tables present, use iptables-legacy to see them"');
  });

  test('lines cut short are skipped and counted, never half-read', () => {
    const cut = parseIptablesS([
      '-P FORWARD ACCEPT',
      '-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
      '-A FORWARD -m comment --comment "cilium-feeder: CILI',
      '-A FORWARD -m comment --comment "kubernetes service portals" -j',
    ].join('\n'));
    expect(cut.rules.map((r) => r.target)).toEqual(['KUBE-FORWARD']);
    expect(cut.skipped).toEqual({ count: 2, first: '-A FORWARD -m comment --comment "cilium-feeder: CILI' });
    // A chain with no rules is a real answer, not an empty success on garbage.
    expect(parseIptablesS('-P FORWARD ACCEPT\n')).toMatchObject({ policies: { FORWARD: 'ACCEPT' }, rules: [], skipped: { count: 0 } });
    expect(() => parseIptablesS('-A FORWARD -m comment --comment "kubernetes forw')).toThrow(UnrecognisedInput);
  });

  test('lines that only look like counters or options are skipped, not misread as numbers', () => {
    const mixed = parseIptablesS([
      '[2026-12-02 14:34:04] restarting kube-proxy',
      'Run it with -c 1 2 to see counters',
      '[0:0] -A FORWARD -j KUBE-FORWARD',
    ].join('\n'));
    expect(mixed.rules.map((r) => r.target)).toEqual(['KUBE-FORWARD']);
    expect(mixed.skipped).toEqual({ count: 2, first: '[2026-12-02 14:34:04] restarting kube-proxy' });
  });

  test('a quoted "-j" or "-c" is a comment, not an option', () => {
    const [rule] = parseIptablesS('-A FORWARD -m comment --comment "-j DROP -c 1 2" -c 5 300 -j LOG --log-prefix "-c x"').rules;
    expect(rule).toMatchObject({ target: 'LOG', comment: '-j DROP -c 1 2', packets: 5, bytes: 300, targetArgs: ['--log-prefix', '-c x'] });
  });
});

describe('parseIptablesList', () => {
  test('recorded -nvL -x: exact counters, nft-style numeric prot, user chains with references', () => {
    const listing = parseIptablesList(parseSample('iptables-nvL-x-forward-kube-first.txt'));
    expect(listing.exact).toBe(true);
    expect(listing.chains.map((c) => c.name)).toEqual([
      'INPUT', 'FORWARD', 'OUTPUT', 'CILIUM_FORWARD', 'KUBE-EXTERNAL-SERVICES', 'KUBE-FORWARD', 'KUBE-PROXY-FIREWALL', 'KUBE-SERVICES',
    ]);
    const forward = listing.chains[1];
    expect(forward?.policy).toBe('ACCEPT');
    expect(forward?.rules[1]).toEqual({
      chain: 'FORWARD', packets: 209, bytes: 11439, target: 'KUBE-FORWARD', prot: '0', opt: '--',
      in: '*', out: '*', source: '0.0.0.0/0', destination: '0.0.0.0/0', extra: '/* kubernetes forwarding rules */',
    });
    expect(listing.chains.find((c) => c.name === 'KUBE-FORWARD')?.references).toBe(1);
    expect(firstForwardJump(listedRules(listing))).toBe('KUBE-PROXY-FIREWALL');
  });

  test('recorded: the INVALID drop counted 6 packets with kube-proxy first, 0 with Cilium first', () => {
    const bad = parseIptablesList(parseSample('iptables-nvL-x-forward-kube-first.txt'));
    const good = parseIptablesList(parseSample('iptables-nvL-x-forward-cilium-first.txt'));
    expect(dropPacketsIn(bad, 'KUBE-FORWARD', { ctstateInvalidOnly: true })).toBe(6);
    expect(dropPacketsIn(good, 'KUBE-FORWARD', { ctstateInvalidOnly: true })).toBe(0);
    expect(dropPacketsIn(good, 'NO-SUCH-CHAIN')).toBe(0);
  });

  test('recorded: the INVALID drop rule is there, and FORWARD counts the packets each jump took', () => {
    const bad = parseIptablesList(parseSample('iptables-nvL-x-forward-kube-first.txt'));
    expect(hasInvalidDrop(bad, 'KUBE-FORWARD')).toBe(true);
    expect(hasInvalidDrop(bad, 'CILIUM_FORWARD')).toBe(false);
    expect(hasInvalidDrop(bad, 'NO-SUCH-CHAIN')).toBe(false);
    expect(jumpPackets(bad, 'FORWARD', 'KUBE-FORWARD')).toBe(209);
    expect(jumpPackets(bad, 'FORWARD', 'CILIUM_FORWARD')).toBe(21);
    expect(jumpPackets(bad, 'FORWARD', 'DOCKER')).toBeUndefined();
  });

  test('seed 003 KUBE-FORWARD: 5 INVALID drops; the ctstate RELATED,ESTABLISHED ACCEPT is not a drop', () => {
    const listing = parseIptablesList(parseSample('iptables-nvL-kube-forward-seed003.txt'));
    expect(listing.chains).toHaveLength(1);
    expect(listing.chains[0]?.rules.map((r) => [r.packets, r.target, r.extra])).toEqual([
      [5, 'DROP', 'ctstate INVALID'],
      [0, 'ACCEPT', '/* kubernetes forwarding rules */ mark match 0x4000/0x4000'],
      [0, 'ACCEPT', '/* kubernetes forwarding conntrack rule */ ctstate RELATED,ESTABLISHED'],
    ]);
    expect(dropPacketsIn(listing, 'KUBE-FORWARD')).toBe(5);
    expect(dropPacketsIn(listing, 'KUBE-FORWARD', { ctstateInvalidOnly: true })).toBe(5);
  });

  test('seed 003 bad and good hosts: jump order, interface columns and a 148K counter', () => {
    const bad = parseIptablesList(parseSample('iptables-nvL-forward-bad-host-seed003.txt'));
    expect(forwardJumpOrder(listedRules(bad))).toEqual([
      'KUBE-PROXY-FIREWALL', 'KUBE-FORWARD', 'KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES',
      'DOCKER-USER', 'DOCKER-ISOLATION-STAGE-1', 'DOCKER', 'CILIUM_FORWARD',
    ]);
    expect(bad.chains[0]?.rules[8]).toMatchObject({ target: 'ACCEPT', in: 'docker0', out: '!docker0', extra: '' });
    expect(bad.exact).toBe(true);

    const good = parseIptablesList(parseSample('iptables-nvL-forward-good-host-seed003.txt'));
    expect(firstForwardJump(listedRules(good))).toBe('CILIUM_FORWARD');
    expect(good.chains[0]?.rules[0]).toMatchObject({ packets: 1419, bytes: 148_000 });
    expect(good.exact).toBe(false);
  });

  test('seed 003 CILIUM_FORWARD: per-interface ACCEPT counters', () => {
    const listing = parseIptablesList(parseSample('iptables-nvL-cilium-forward-seed003.txt'));
    expect(listing.chains[0]?.rules.map((r) => `${r.in}>${r.out}:${r.packets}`)).toEqual([
      '*>cilium_host:642', 'cilium_host>*:0', 'lxc+>*:794', 'cilium_net>*:0',
    ]);
  });

  test('a rule without target keeps its columns; negated ctstate INVALID is not counted as INVALID', () => {
    const listing = parseIptablesList([
      'Chain X (2 references)',
      '    pkts      bytes target     prot opt in     out     source               destination',
      '       7      420            all  --  *      *       10.0.0.0/8           0.0.0.0/0',
      '       3      180 DROP       all  --  *      *       0.0.0.0/0            0.0.0.0/0            ! ctstate INVALID',
      '       2      120 DROP       all  --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate NEW,INVALID',
      'garbage line that is not a rule',
    ].join('\n'));
    expect(listing.chains[0]?.rules[0]).toMatchObject({ packets: 7, target: '', prot: 'all', source: '10.0.0.0/8' });
    expect(dropPacketsIn(listing, 'X')).toBe(5);
    expect(dropPacketsIn(listing, 'X', { ctstateInvalidOnly: true })).toBe(2);
    expect(listing.skipped).toEqual({ count: 1, first: 'garbage line that is not a rule' });
  });

  test('headers are recognised, not skipped; --line-numbers listings are read', () => {
    expect(parseIptablesList(parseSample('iptables-nvL-x-forward-kube-first.txt')).skipped).toEqual({ count: 0 });
    const numbered = parseIptablesList([
      'Chain KUBE-FORWARD (1 references)',
      'num      pkts      bytes target     prot opt in     out     source               destination',
      '1           6      367 DROP       0    --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate INVALID',
    ].join('\n'));
    expect(numbered.skipped).toEqual({ count: 0 });
    expect(dropPacketsIn(numbered, 'KUBE-FORWARD', { ctstateInvalidOnly: true })).toBe(6);
  });

  test('empty input', () => {
    expect(parseIptablesList('')).toEqual({ chains: [], exact: true, skipped: { count: 0 } });
  });

  test('prose, a kubectl error, an iptables error, binary bytes: an error quoting the first line', () => {
    expect(() => parseIptablesList('no chains here\n')).toThrow(UnrecognisedInput);
    expect(() => parseIptablesList('Error from server (NotFound): nodes "kind-worker" not found'))
      .toThrow('iptables -nvL output: none of 1 line(s) recognised; first: "Error from server (NotFound): nodes "kind-worker" not found"');
    expect(() => parseIptablesList('iptables: No chain/target/match by that name.')).toThrow('first: "iptables: No chain/target/match by that name."');
    expect(() => parseIptablesList('\u0089PNG\r\n\u001a\n')).toThrow(UnrecognisedInput);
  });

  test('rules before any chain header, and rules cut short, are skipped and counted', () => {
    const listing = parseIptablesList([
      '    6      367 DROP       0    --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate INVALID',
      'Chain KUBE-FORWARD (1 references)',
      '    pkts      bytes target     prot opt in     out     source               destination',
      '       6      367 DROP       0    --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate INVALID',
      '       0        0 ACCEPT     0    --  *      *',
    ].join('\n'));
    expect(listing.chains[0]?.rules).toHaveLength(1);
    expect(listing.skipped.count).toBe(2);
  });

  test('listings without -v have no counters: their rule lines are skipped and counted', () => {
    const listing = parseIptablesList([
      'Chain FORWARD (policy ACCEPT)',
      'target     prot opt source               destination',
      'KUBE-FORWARD  all  --  anywhere             anywhere             /* kubernetes forwarding rules */',
    ].join('\n'));
    expect(listing.chains.map((c) => c.policy)).toEqual(['ACCEPT']);
    expect(listing.skipped).toEqual({ count: 1, first: 'KUBE-FORWARD  all  --  anywhere             anywhere             /* kubernetes forwarding rules */' });
  });
});
