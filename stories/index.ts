import { authUrl } from './auth-url/story.ts';
import { forwardOrder } from './forward-order/story.ts';
import { harnessSelfCheck } from './harness/story.ts';
import { ingressStatus } from './ingress-status/story.ts';
import { loadBalance } from './load-balance/story.ts';
import { udpClients } from './udp-clients/story.ts';
import type { ExpectationRow, Story } from '../harness/story.ts';

/**
 * Every story, in the order reports list them. The matrix rows, the badges and
 * the expectation table are derived from here; variants name their stories by
 * importing them.
 */
export const STORIES = [authUrl, ingressStatus, forwardOrder, loadBalance, udpClients, harnessSelfCheck] as const satisfies readonly Story[];

export type StoryId = (typeof STORIES)[number]['id'];

/** A row of the whole table: a story's row with the story's id. */
export type TableRow = ExpectationRow & { story: StoryId };

export const EXPECTATIONS: readonly TableRow[] = STORIES.flatMap((s) => s.expectations.map((r) => ({ ...r, story: s.id })));

export function storyById(id: string): Story | undefined {
  return STORIES.find((s) => s.id === id);
}
