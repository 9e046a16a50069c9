// Cells side by side: how many at once, and in which order.
import { cpus, totalmem } from 'node:os';
import type { Cell } from './cells.ts';

/** A cluster of the largest variant with its stories running (measured here: 3 nodes, Cilium, two ingress controllers). */
export const MEMORY_PER_CELL_GIB = 8;

/** Cells at once: what memory and cores allow, at least one. */
export function defaultParallel(memoryGiB = totalmem() / 2 ** 30, cores = cpus().length): number {
  return Math.max(1, Math.min(cores, Math.floor(memoryGiB / MEMORY_PER_CELL_GIB)));
}

/**
 * Whole-cell minutes per variant as measured on the 2-core build machine on
 * 2026-12-03 (README, "Results"), for ordering only: a cell's own earlier
 * duration wins when the state has one.
 */
const TYPICAL_MINUTES: Record<string, number> = { bpf: 26, puzzle: 14, cnp: 12, 'kube-proxy': 10, race: 7, smoke: 3 };
const UNKNOWN_MINUTES = 10;

/** Longest first, so the last cell to start is a short one and workers finish together. */
export function longestFirst(cells: readonly Cell[], earlierMs: (cell: Cell) => number | undefined = () => undefined): Cell[] {
  const expected = (c: Cell) => earlierMs(c) ?? (TYPICAL_MINUTES[c.variant] ?? UNKNOWN_MINUTES) * 60_000;
  return [...cells].sort((a, b) => expected(b) - expected(a));
}
