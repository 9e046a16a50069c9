import { describe, expect, test } from 'vitest';
import { backendLoadChart, stickinessChart } from './plot.ts';

// Figures built here in the shape classify.ts gives them.
describe('story D plots', () => {
  test('load per backend: shares, counts and the chi-square', () => {
    const svg = backendLoadChart('P0', ['b1', 'b2', 'b3'], { b1: 200, b2: 210, b3: 190 }, { chiSquare: 1, chiSquareCritical: 13.82 });
    expect(svg).toContain('600 answered; chi-square 1 (critical 13.82 at p=0.001)');
    expect(svg).toContain('<title>b2: 35% (210)</title>');
    expect(svg).toContain('even share (33%)');
  });
  test('stickiness rounds: the sticky round stands out', () => {
    const svg = stickinessChart([
      { label: 'reused at once', figures: { sameShare: 0.99, sameBackend: 148, answeredBothRounds: 150 } },
      { label: 'reused after 65 s', figures: { sameShare: 0.31, sameBackend: 47, answeredBothRounds: 150 } },
    ]);
    expect(svg).toContain('fill="#E69F00"><title>reused at once: 99% (148/150)</title>');
    expect(svg).toContain('fill="#0072B2"><title>reused after 65 s: 31% (47/150)</title>');
  });
});
