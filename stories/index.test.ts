import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { VARIANTS } from '../clusters/index.ts';
import { pins } from '../config/pins.ts';
import type { Conclusion } from '../harness/fixtures.ts';
import { expectationFor, findExpectation } from '../harness/expectations.ts';
import { defineStory } from '../harness/story.ts';
import { authUrl } from './auth-url/story.ts';
import { forwardOrder } from './forward-order/story.ts';
import { EXPECTATIONS, STORIES } from './index.ts';

const pinnedVersions = Object.values(pins.cilium.versions);
const observed = { outcome: 'affected' as const, reason: 'because', figures: {} };

describe('the story registry', () => {
  test('every story has a folder of its own with a README, a spec and expectation rows', () => {
    for (const story of STORIES) {
      expect(story.dir.endsWith(join('stories', story.id)), story.id).toBe(true);
      expect(existsSync(join(story.dir, 'README.md')), `${story.id}/README.md`).toBe(true);
      expect(readdirSync(story.dir).some((f) => f.endsWith('.spec.ts')), `${story.id} has a spec`).toBe(true);
      expect(story.expectations.length, `${story.id} rows`).toBeGreaterThan(0);
      expect(new Set(story.cases).size, `${story.id} case ids are unique`).toBe(story.cases.length);
    }
    expect(new Set(STORIES.map((s) => s.id)).size).toBe(STORIES.length);
  });

  test('every story runs in some variant, and every variant runs registered stories', () => {
    const run = new Set(Object.values(VARIANTS).flatMap((v) => v.stories));
    for (const story of STORIES) expect(run.has(story), `${story.id} is named by a variant`).toBe(true);
    for (const story of run) expect(STORIES as readonly unknown[]).toContain(story);
  });

  test('rows name real variants and cases, cite URLs and give a basis', () => {
    for (const row of EXPECTATIONS) {
      const story = STORIES.find((s) => s.id === row.story)!;
      if (row.variant !== '*') expect(Object.keys(VARIANTS), `${row.story} row variant`).toContain(row.variant);
      if (row.case !== '*') expect(story.cases as readonly string[], `${row.story} row case`).toContain(row.case);
      expect(row.basis.length, `${row.story}/${row.case} basis`).toBeGreaterThan(10);
      for (const link of row.links) expect(link).toMatch(/^https:\/\/github\.com\//);
    }
  });

  test('a row answers for every variant × pinned Cilium version × case the suite runs', () => {
    const missing: string[] = [];
    for (const variant of Object.values(VARIANTS)) {
      const versions = variant.cilium ? pinnedVersions : [undefined];
      for (const story of variant.stories) {
        for (const c of story.casesOn(variant.name)) {
          for (const ciliumVersion of versions) {
            if (!findExpectation(story.expectations, { case: c, variant: variant.name, ciliumVersion })) {
              missing.push(`${story.id}/${c}@${variant.name}/${ciliumVersion ?? 'none'}`);
            }
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('expectation lookup', () => {
  test('the first matching row wins; a range limits a row to its versions', () => {
    expect(expectationFor(forwardOrder, { case: 'data-plane', variant: 'race', ciliumVersion: '1.20.2' }).expected).toBe('healthy');
    expect(expectationFor(forwardOrder, { case: 'data-plane', variant: 'race', ciliumVersion: '1.21.0' }).expected).toBe('unknown');
    expect(expectationFor(authUrl, { case: 'default', variant: 'bpf', ciliumVersion: 'v1.20.2-abc123' }).expected).toBe('healthy');
  });

  test('a missing row is an error that names the story, case, variant and version', () => {
    expect(() => expectationFor(authUrl, { case: 'default', variant: 'bpf', ciliumVersion: '1.15.3' })).toThrow(
      'no expectation row for auth-url/default on bpf, Cilium 1.15.3: add one to stories/auth-url/story.ts',
    );
    const bare = defineStory(import.meta.url, { id: 'bare', title: 'no rows', cases: ['only'], expectations: [] });
    expect(() => expectationFor(bare, { case: 'only', variant: 'smoke' })).toThrow('no expectation row for bare/only on smoke, no Cilium');
  });

  test('case ids are typed per story: a misspelled case does not compile', () => {
    const conclusion = <C extends string>(c: Conclusion<C>) => c;
    expect(conclusion({ story: authUrl, case: 'default', observed }).case).toBe('default');
    // @ts-expect-error 'defualt' is not a case of story auth-url
    expect(conclusion({ story: authUrl, case: 'defualt', observed }).case).toBe('defualt');
    // @ts-expect-error a case of another story
    expect(conclusion({ story: authUrl, case: 'data-plane', observed }).case).toBe('data-plane');
  });
});
