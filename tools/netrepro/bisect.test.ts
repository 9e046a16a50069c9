import semver from 'semver';
import { describe, expect, test } from 'vitest';
import { between, bisect, type Probe } from './bisect.ts';

const VERSIONS = ['1.16.0', '1.16.1', '1.16.2', '1.16.3', '1.16.4', '1.16.5', '1.16.6', '1.16.19', '1.17.0', '1.15.6', '1.20.2'];

/** A fake run: affected before `fixed`, healthy from it on; `noOutcome` versions give none. */
function fakeRuns(fixed: string, noOutcome: string[] = []) {
  const calls: string[] = [];
  const probe = async (v: string): Promise<Probe> => {
    calls.push(v);
    if (noOutcome.includes(v)) return { version: v, outcome: 'inconclusive', reason: 'agents did not start' };
    return { version: v, outcome: semver.lt(v, fixed) ? 'affected' : 'healthy', reason: 'fake' };
  };
  return { calls, probe };
}

describe('netrepro bisect: the search', () => {
  test('candidates are the versions between the ends, in release order, each once', () => {
    expect(between(VERSIONS, '1.16.0', '1.17.0')).toEqual(['1.16.0', '1.16.1', '1.16.2', '1.16.3', '1.16.4', '1.16.5', '1.16.6', '1.16.19', '1.17.0']);
    expect(between(VERSIONS, '1.17.0', '1.16.4')).toEqual(['1.16.4', '1.16.5', '1.16.6', '1.16.19', '1.17.0']);
  });

  test('names the first release with the other outcome, probing each version at most once', async () => {
    const { calls, probe } = fakeRuns('1.16.5');
    const r = await bisect(between(VERSIONS, '1.16.0', '1.17.0'), probe);
    expect(r.firstDifferent?.version).toBe('1.16.5');
    expect(r.lastSame?.version).toBe('1.16.4');
    expect(r.summary).toBe('first healthy release: 1.16.5; last affected: 1.16.4');
    const commits = await bisect(['c0', 'c1', 'c2'], async (v) => ({ version: v, outcome: v === 'c0' ? 'healthy' : 'affected', reason: 'fake' }), 'commit');
    expect(commits.summary).toBe('first affected commit: c1; last healthy: c0');
    expect(new Set(calls).size).toBe(calls.length);
    expect(calls.length).toBeLessThanOrEqual(2 + Math.ceil(Math.log2(9)));
  });

  test('a version without an outcome is skipped and named; the search still ends at the change', async () => {
    const { probe } = fakeRuns('1.16.5', ['1.16.4']);
    const r = await bisect(between(VERSIONS, '1.16.0', '1.17.0'), probe);
    expect(r.firstDifferent?.version).toBe('1.16.5');
    expect(r.lastSame?.version).toBe('1.16.3');
    expect(r.skipped.map((p) => p.version)).toEqual(['1.16.4']);
    expect(r.summary).toMatch(/no outcome from 1\.16\.4/);
  });

  test('the ends must disagree, and each must have an outcome', async () => {
    expect((await bisect(between(VERSIONS, '1.16.5', '1.17.0'), fakeRuns('1.16.5').probe)).summary).toBe('1.16.5 and 1.17.0 are both healthy: nothing changes between them');
    const noStart = await bisect(between(VERSIONS, '1.16.0', '1.17.0'), fakeRuns('1.16.5', ['1.16.0']).probe);
    expect(noStart.firstDifferent).toBeUndefined();
    expect(noStart.summary).toBe('1.16.0 gave no outcome to search from (inconclusive: agents did not start)');
  });
});

describe('netrepro bisect: the request', () => {
  test('story C data-plane runs on race; bad requests get one line', async () => {
    const { checkRequest, releasesBetween } = await import('./run-bisect.ts');
    expect(checkRequest({ story: 'forward-order', case: 'data-plane', good: '1.16.0', bad: '1.17.0' })).toEqual({ variant: 'race' });
    expect(checkRequest({ story: 'nope', case: 'x', good: '1.16.0', bad: '1.17.0' })).toEqual({ error: 'no story "nope" (stories/<id>/)' });
    expect(checkRequest({ story: 'forward-order', case: 'dataplane', good: '1.16.0', bad: '1.17.0' })).toMatchObject({ error: expect.stringMatching(/has no case "dataplane": structural, data-plane/) });
    expect(checkRequest({ story: 'forward-order', case: 'data-plane', good: '1.16', bad: '1.17.0' })).toEqual({ error: '"1.16" is not a release like 1.16.4 (to bisect commits, give the tree with --src)' });
    expect(checkRequest({ story: 'forward-order', case: 'data-plane', good: 'v1.16.4', bad: 'HEAD', src: '/tree' })).toEqual({ variant: 'race' });
    expect(checkRequest({ story: 'forward-order', case: 'data-plane', good: '1.16.0', bad: '1.17.0', variant: 'bpf' })).toMatchObject({ error: expect.stringMatching(/^variant bpf does not run forward-order\/data-plane \(variants that do: race\)/) });
    expect(releasesBetween('1.16.29', '1.17.1')).toEqual(['1.16.29', '1.16.30', '1.17.0', '1.17.1']);
  });
});
