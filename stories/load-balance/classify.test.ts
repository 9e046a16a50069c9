import { describe, expect, test } from 'vitest';
import { classifyLoadBalance, classifyStickiness, type PortRound } from './classify.ts';

// Seed 004's three backends; tzsvj shares worker3 with the load generator.
const [B9996Q, RFLMG, TZSVJ] = ['backend-1-64d7c5984b-9996q', 'backend-1-64d7c5984b-rflmg', 'backend-1-64d7c5984b-tzsvj'] as const;
const backends = [B9996Q, RFLMG, TZSVJ];
const codes = (ok: number, failed = 0, failure = 503) => [...Array<number>(ok).fill(200), ...Array<number>(failed).fill(failure)];

describe('classifyLoadBalance', () => {
  test('an even 200/200/200 split, all 200: healthy with chi-square 0', () => {
    const c = classifyLoadBalance({ backends, hits: { [B9996Q]: 200, [RFLMG]: 200, [TZSVJ]: 200 }, statuses: codes(600) });
    expect(c).toMatchObject({ outcome: 'healthy', figures: { chiSquare: 0, chiSquareCritical: 13.816, share2xx: 1 } });
  });

  test('seed 004 with L7 policies: only the same-node backend answers, the rest 5xx: affected on every criterion', () => {
    const c = classifyLoadBalance({ backends, hits: { [TZSVJ]: 200 }, statuses: codes(200, 400) });
    expect(c.outcome).toBe('affected');
    expect(c.reason).toBe(`chi-square 400 ≥ 13.816 (df 2); backend share below 25%: ${B9996Q}, ${RFLMG}; 33.3% 2xx < 99%`);
    expect(c.figures[`hits:${B9996Q}`]).toBe(0);
  });

  test('[300,150,150]: chi-square 75 fails alone (25% shares are still enough)', () => {
    const c = classifyLoadBalance({ backends, hits: { [B9996Q]: 300, [RFLMG]: 150, [TZSVJ]: 150 }, statuses: codes(600) });
    expect(c).toMatchObject({ outcome: 'affected', reason: 'chi-square 75 ≥ 13.816 (df 2)', figures: { chiSquare: 75 } });
  });

  test('around the critical value: chi-square 12 is healthy, 15.19 is affected', () => {
    const judge = (a: number, b: number, c: number) => classifyLoadBalance({ backends, hits: { [B9996Q]: a, [RFLMG]: b, [TZSVJ]: c }, statuses: codes(600) });
    expect(judge(240, 180, 180)).toMatchObject({ outcome: 'healthy', figures: { chiSquare: 12 } });
    expect(judge(245, 178, 177)).toMatchObject({ outcome: 'affected', reason: 'chi-square 15.2 ≥ 13.816 (df 2)', figures: { chiSquare: 15.19 } });
  });

  test('an even split with 10 of 610 failing (98.4% 2xx): affected on the 2xx criterion only', () => {
    const c = classifyLoadBalance({ backends, hits: { [B9996Q]: 200, [RFLMG]: 200, [TZSVJ]: 200 }, statuses: codes(600, 10, 0) });
    expect(c).toMatchObject({ outcome: 'affected', reason: '98.4% 2xx < 99%' });
  });

  test('fewer than 300 requests: inconclusive; exactly 300 is judged', () => {
    expect(classifyLoadBalance({ backends, hits: { [B9996Q]: 100, [RFLMG]: 99, [TZSVJ]: 100 }, statuses: codes(299) }).outcome).toBe('inconclusive');
    expect(classifyLoadBalance({ backends, hits: { [B9996Q]: 100, [RFLMG]: 100, [TZSVJ]: 100 }, statuses: codes(300) }).outcome).toBe('healthy');
  });

  test('no backend answered at all: affected, not a crash', () => {
    expect(classifyLoadBalance({ backends, hits: {}, statuses: codes(0, 600) }).reason).toBe('no backend answered; 0% 2xx < 99%');
  });

  test('a backend count without a tabled critical value is an error', () => {
    const five = ['a', 'b', 'c', 'd', 'e'];
    expect(() => classifyLoadBalance({ backends: five, hits: { a: 100, b: 100, c: 100, d: 100, e: 100 }, statuses: codes(500) })).toThrow(/df=4/);
  });
});

describe('classifyStickiness', () => {
  const rounds = (n: number, same: number): PortRound[] =>
    Array.from({ length: n }, (_, i) => ({ port: 40_000 + i, first: backends[i % 3] ?? '', second: (i < same ? backends[i % 3] : backends[(i + 1) % 3]) ?? '' }));

  test('>80% of reused ports on the same backend: affected', () => {
    expect(classifyStickiness(rounds(300, 270))).toMatchObject({ outcome: 'affected', figures: { sameBackend: 270, sameShare: 0.9 } });
  });

  test('about a third (fresh choice): healthy', () => {
    expect(classifyStickiness(rounds(300, 100)).outcome).toBe('healthy');
  });

  test('between 60% and 80%, and the bounds themselves: inconclusive', () => {
    expect(classifyStickiness(rounds(300, 210)).outcome).toBe('inconclusive');
    expect(classifyStickiness(rounds(300, 240)).outcome).toBe('inconclusive'); // exactly 80%
    expect(classifyStickiness(rounds(300, 180)).outcome).toBe('inconclusive'); // exactly 60%
  });

  test('ports without an answer in a round are left out; too few left is inconclusive', () => {
    const partly = rounds(300, 300).map((r, i) => (i < 250 ? { ...r, second: '' } : r));
    expect(classifyStickiness(partly)).toMatchObject({ outcome: 'inconclusive', figures: { ports: 300, answeredBothRounds: 50 } });
    expect(classifyStickiness([]).figures.sameShare).toBe('n/a');
  });
});
