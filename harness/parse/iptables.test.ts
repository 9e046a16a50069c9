import { describe, expect, test } from 'vitest';
import {
  dropPacketsIn, firstForwardJump, forwardJumpOrder, listedRules, parseIptablesList, parseIptablesS,
} from './iptables.ts';
import { parseSample } from './samples.ts';

describe('parseIptablesS', () => {
  const kubeFirst = parseIptablesS(parseSample('iptables-S-forward-kube-first.txt'));

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

  test('empty input and garbage lines give nothing', () => {
    expect(parseIptablesS('')).toEqual({ policies: {}, chains: [], rules: [] });
    expect(parseIptablesS('# Warning: iptables-legacy tables present\n-A\nnonsense').rules).toEqual([]);
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
  });

  test('empty input', () => {
    expect(parseIptablesList('')).toEqual({ chains: [], exact: true });
  });
});
