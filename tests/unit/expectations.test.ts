import { describe, expect, test } from 'vitest';
import { EXPECTATIONS } from '../../expectations.ts';
import { expectedOutcome, findExpectation } from '../../helpers/expectations.ts';
import { judge } from '../../helpers/verdict.ts';
import { pins } from '../../helpers/pins.ts';

describe('expectation lookup', () => {
  test('story A: terminatePodConnections=false is affected on every pinned Cilium version', () => {
    for (const version of Object.values(pins.cilium.versions)) {
      expect(expectedOutcome({ story: 'auth-url', case: 'terminate-pod-connections-off', variant: 'bpf', ciliumVersion: version }).expected).toBe('affected');
      expect(expectedOutcome({ story: 'auth-url', case: 'default', variant: 'bpf', ciliumVersion: version }).expected).toBe('healthy');
    }
  });

  test('a version below every range has no row and is unknown', () => {
    expect(findExpectation({ story: 'auth-url', case: 'default', variant: 'bpf', ciliumVersion: '1.15.3' })).toBeUndefined();
    expect(expectedOutcome({ story: 'auth-url', case: 'default', variant: 'bpf', ciliumVersion: '1.15.3' }).expected).toBe('unknown');
  });

  test("'*' cases and versions match, also without Cilium", () => {
    expect(expectedOutcome({ story: 'load-balance', case: 'P2', variant: 'cnp', ciliumVersion: '1.18.11' }).expected).toBe('healthy');
    expect(expectedOutcome({ story: 'ingress-status', case: 'misconfigured', variant: 'puzzle' }).expected).toBe('affected');
    expect(expectedOutcome({ story: 'forward-order', case: 'data-plane', variant: 'race', ciliumVersion: '1.20.2' }).expected).toBe('healthy');
    expect(expectedOutcome({ story: 'forward-order', case: 'data-plane', variant: 'race', ciliumVersion: '1.18.11' }).expected).toBe('healthy');
    expect(expectedOutcome({ story: 'forward-order', case: 'data-plane', variant: 'race', ciliumVersion: '1.19.7' }).expected).toBe('healthy');
    expect(expectedOutcome({ story: 'forward-order', case: 'data-plane', variant: 'race', ciliumVersion: '1.21.0' }).expected).toBe('unknown');
  });

  test('pre-release and v-prefixed versions are coerced', () => {
    expect(expectedOutcome({ story: 'auth-url', case: 'default', variant: 'bpf', ciliumVersion: 'v1.20.2-abc123' }).expected).toBe('healthy');
  });

  test('every row names its basis, and links are URLs', () => {
    for (const row of EXPECTATIONS) {
      expect(row.basis.length).toBeGreaterThan(10);
      for (const link of row.links) expect(link).toMatch(/^https:\/\/github\.com\//);
    }
  });
});

describe('verdicts', () => {
  const obs = (outcome: 'healthy' | 'affected' | 'inconclusive') => ({ outcome, reason: 'because', figures: {} });
  test('expected healthy, observed affected is a regression', () => {
    expect(judge(obs('affected'), 'healthy')).toMatchObject({ pass: false, kind: 'regression', message: 'regression: expected healthy, observed affected: because' });
  });
  test('expected affected, observed healthy asks whether upstream fixed it', () => {
    expect(judge(obs('healthy'), 'affected')).toMatchObject({ pass: false, kind: 'fixed-upstream', message: 'fixed upstream? expected affected, observed healthy: because' });
  });
  test('inconclusive fails with its reason', () => {
    expect(judge(obs('inconclusive'), 'affected')).toMatchObject({ pass: false, message: 'inconclusive: expected affected, because' });
  });
  test('unknown reports without failing; a match passes', () => {
    expect(judge(obs('affected'), 'unknown')).toMatchObject({ pass: true, kind: 'observed-only' });
    expect(judge(obs('affected'), 'affected')).toMatchObject({ pass: true, message: 'reproduced as expected: because' });
  });
});
