/**
 * What specs import: Vitest's test with the suite's fixtures, in layers that
 * build on each other — cluster access (cluster, kube, images, skipWhen,
 * requireDisruptive), evidence (evidence, plot), isolation (namespace, defer)
 * and verdict (conclude).
 */
export { verdictTest as test } from './fixtures/verdict.ts';
export type { Conclusion } from './fixtures/verdict.ts';
export { expect, describe } from 'vitest';
