import { describe, expect, test } from 'vitest';
import { buildCells } from './cells.ts';
import { defaultParallel, longestFirst } from './schedule.ts';

const CELLS = buildCells({ cilium: { versions: { '1.19': '1.19.7', '1.20': '1.20.2' } } });

describe('cells side by side', () => {
  test('as many at once as memory and cores allow, at least one', () => {
    expect(defaultParallel(24, 2)).toBe(2);
    expect(defaultParallel(64, 16)).toBe(8);
    expect(defaultParallel(12, 8)).toBe(1);
    expect(defaultParallel(4, 1)).toBe(1);
  });

  test('long cells first; a cell\'s own earlier duration wins over the typical one', () => {
    const order = longestFirst(CELLS).map((c) => c.variant);
    expect(order[0]).toBe('bpf');
    expect(order.at(-1)).toBe('smoke');
    const quickBpf = longestFirst(CELLS, (c) => (c.id === 'bpf@1.19.7' ? 60_000 : undefined));
    expect(quickBpf.at(-1)?.id).toBe('bpf@1.19.7');
  });
});
