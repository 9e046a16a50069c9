import { describe, expect, test } from 'vitest';
import { classifyForwardDataPlane, classifyForwardOrder } from './classify.ts';
import { dropPacketsIn, listedRules, parseIptablesList, parseIptablesS } from '../../harness/parse/iptables.ts';
import { parseSample } from '../../harness/parse/samples.ts';

describe('classifyForwardOrder', () => {
  test('recorded, kube-proxy started last: affected', () => {
    const c = classifyForwardOrder(parseIptablesS(parseSample('iptables-S-forward-kube-first.txt')).rules);
    expect(c.outcome).toBe('affected');
    expect(c.figures).toEqual({
      order: 'KUBE-PROXY-FIREWALL > KUBE-FORWARD > KUBE-SERVICES > KUBE-EXTERNAL-SERVICES > CILIUM_FORWARD',
      first: 'KUBE-PROXY-FIREWALL', kubeForwardAt: 1, ciliumForwardAt: 4,
    });
  });

  test('recorded, Cilium started last: healthy', () => {
    const c = classifyForwardOrder(parseIptablesS(parseSample('iptables-S-forward-cilium-first.txt')).rules);
    expect(c).toMatchObject({ outcome: 'healthy', figures: { first: 'CILIUM_FORWARD', kubeForwardAt: 2, ciliumForwardAt: 0 } });
  });

  test('seed 003 -nvL listings: bad host affected, good host healthy', () => {
    expect(classifyForwardOrder(listedRules(parseIptablesList(parseSample('iptables-nvL-forward-bad-host-seed003.txt')))).outcome).toBe('affected');
    expect(classifyForwardOrder(listedRules(parseIptablesList(parseSample('iptables-nvL-forward-good-host-seed003.txt')))).outcome).toBe('healthy');
  });

  test('iptables-save -c (real, cilium#11819): Cilium first reads healthy, not inconclusive', () => {
    const c = classifyForwardOrder(parseIptablesS(parseSample('iptables-save-c-grep-forward-cilium-pr11819.txt')).rules);
    expect(c).toMatchObject({ outcome: 'healthy', figures: { first: 'CILIUM_FORWARD', kubeForwardAt: 1, ciliumForwardAt: 0 } });
  });

  test('recorded iptables-save -c and iptables -v -S, kube-proxy started last: affected', () => {
    for (const sample of ['iptables-save-c-kube-first.txt', 'iptables-S-v-kube-first.txt']) {
      const c = classifyForwardOrder(parseIptablesS(parseSample(sample)).rules);
      expect(c, sample).toMatchObject({ outcome: 'affected', figures: { first: 'KUBE-PROXY-FIREWALL', kubeForwardAt: 1, ciliumForwardAt: 4 } });
    }
  });

  test('a missing jump is inconclusive and says which', () => {
    expect(classifyForwardOrder(parseIptablesS(parseSample('iptables-S-ctstate-drops-seed003.txt')).rules).reason)
      .toBe('FORWARD has no jump to KUBE-FORWARD and CILIUM_FORWARD');
    const goodHostWithoutKubeProxy = listedRules(parseIptablesList(parseSample('iptables-nvL-forward-good-host-seed003.txt')))
      .filter((r) => r.target !== 'KUBE-FORWARD');
    expect(classifyForwardOrder(goodHostWithoutKubeProxy)).toMatchObject({ outcome: 'inconclusive', reason: 'FORWARD has no jump to KUBE-FORWARD' });
    expect(classifyForwardOrder([]).figures.order).toBe('none');
  });
});

describe('classifyForwardDataPlane', () => {
  const invalidDrops = dropPacketsIn(parseIptablesList(parseSample('iptables-nvL-x-forward-kube-first.txt')), 'KUBE-FORWARD', { ctstateInvalidOnly: true });

  test('every connection fails and INVALID drops rose (the recorded 6): affected', () => {
    expect(invalidDrops).toBe(6);
    const c = classifyForwardDataPlane({ succeeded: 0, failed: 20, invalidDropDelta: invalidDrops, invalidDropRule: true });
    expect(c).toMatchObject({ outcome: 'affected', figures: { attempts: 20, failShare: 1 } });
  });

  test('recorded Cilium-first run: 20 of 20 succeeded: healthy', () => {
    expect(classifyForwardDataPlane({ succeeded: 20, failed: 0, invalidDropDelta: 0, invalidDropRule: true }).outcome).toBe('healthy');
  });

  test('recorded kube-first run literally (20 fresh ok, the flushed one failed): inconclusive', () => {
    const c = classifyForwardDataPlane({ succeeded: 20, failed: 1, invalidDropDelta: invalidDrops, invalidDropRule: true });
    expect(c).toMatchObject({ outcome: 'inconclusive', reason: '1 of 21 connections failed, but fewer than half failed' });
  });

  test('half failing is enough; failures without INVALID drops are not this bug', () => {
    expect(classifyForwardDataPlane({ succeeded: 10, failed: 10, invalidDropDelta: 1, invalidDropRule: true }).outcome).toBe('affected');
    expect(classifyForwardDataPlane({ succeeded: 0, failed: 20, invalidDropDelta: 0, invalidDropRule: true }).reason).toMatch(/no INVALID drops/);
  });

  test('no attempts', () => {
    expect(classifyForwardDataPlane({ succeeded: 0, failed: 0, invalidDropDelta: 0, invalidDropRule: true })).toMatchObject({ outcome: 'inconclusive', figures: { failShare: 'n/a' } });
  });
  test('no INVALID drop rule in KUBE-FORWARD: success proves nothing, so inconclusive with the sysctl named', () => {
    const c = classifyForwardDataPlane({ succeeded: 20, failed: 0, invalidDropDelta: 0, invalidDropRule: false });
    expect(c.outcome).toBe('inconclusive');
    expect(c.reason).toMatch(/nf_conntrack_tcp_be_liberal/);
  });
});
