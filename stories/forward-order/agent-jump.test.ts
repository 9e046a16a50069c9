import { describe, expect, test } from 'vitest';
import { FEEDER_COMMENT, newAgentJumpInstalled, STAND_IN_COMMENT, standInReplacement } from './agent-jump.ts';
import { parseSample } from '../../harness/parse/samples.ts';

// Recorded with kube-proxy's jumps on top and Cilium's feeder jump fifth (harness/parse/data/README.md).
const kubeFirst = parseSample('iptables-S-forward-kube-first.txt');
const feederLine = `-A FORWARD -m comment --comment "${FEEDER_COMMENT}" -j CILIUM_FORWARD`;
// The states below are derived from the recording by the steps a new agent takes (iptables.go doInstallRules).
const withStandIn = kubeFirst.replace(feederLine, `-A FORWARD -m comment --comment "${STAND_IN_COMMENT}" -j CILIUM_FORWARD`);
const renamed = withStandIn.replace(`"${STAND_IN_COMMENT}" -j CILIUM_FORWARD`, `"${STAND_IN_COMMENT}" -j OLD_CILIUM_FORWARD`);
const newFeederBesideOld = renamed.replace('-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall"', `${feederLine}\n-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall"`);
const cleanedUp = newFeederBesideOld.split('\n').filter((l) => !l.includes(STAND_IN_COMMENT)).join('\n');

describe('standInReplacement', () => {
  test('replaces the feeder jump where it stands: fifth FORWARD rule in the recording', () => {
    expect(standInReplacement(kubeFirst)).toEqual(['-R', 'FORWARD', '5', '-m', 'comment', '--comment', STAND_IN_COMMENT, '-j', 'CILIUM_FORWARD']);
  });

  test('no feeder jump: an error that shows the rules read', () => {
    expect(() => standInReplacement(withStandIn)).toThrow(/FORWARD has no "cilium-feeder: CILIUM_FORWARD" jump to mark[\s\S]*kubernetes forwarding rules/);
  });

  test('a feeder jump with other matches is not swapped: the stand-in would change what it matches', () => {
    const narrowed = kubeFirst.replace(feederLine, `-A FORWARD -i eth0 -m comment --comment "${FEEDER_COMMENT}" -j CILIUM_FORWARD`);
    expect(() => standInReplacement(narrowed)).toThrow(/has matches besides its comment/);
  });
});

describe('newAgentJumpInstalled', () => {
  test('before the agent restarts, the old feeder jump alone does not count', () => {
    expect(newAgentJumpInstalled(withStandIn)).toBe(false);
  });

  test('while the new agent works: chains renamed, then its jump beside the old one', () => {
    expect(newAgentJumpInstalled(renamed)).toBe(false);
    expect(newAgentJumpInstalled(newFeederBesideOld)).toBe(false);
  });

  test('once the old jump is gone and a feeder jump is in, wherever it stands', () => {
    expect(newAgentJumpInstalled(cleanedUp)).toBe(true);
    expect(newAgentJumpInstalled(kubeFirst)).toBe(true);
  });
});
