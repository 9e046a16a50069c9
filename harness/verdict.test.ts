import { describe, expect, test } from 'vitest';
import { judge } from './verdict.ts';

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
