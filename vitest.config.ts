import { defineConfig } from 'vitest/config';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VARIANTS } from './clusters/index.ts';
import { onGitHubActions, reportsDir } from './config/env.ts';
import { StoryOrder } from './clusters/provision/story-order.ts';
import { CLUSTERLESS_PROJECTS, e2eRequested, projectsRequested, unknownProjectMessage } from './clusters/provision/project-guard.ts';

const MINUTE = 60_000;
const ROOT = fileURLToPath(new URL('.', import.meta.url));

// One project per cluster variant; its name is the variant and its global
// setup builds (or reuses) kind cluster netrepro-<name>[-<cilium version>].
const e2eProjects = Object.values(VARIANTS).map((variant) => ({
  extends: true as const,
  test: {
    name: variant.name,
    include: variant.stories.map((story) => `${relative(ROOT, story.dir)}/*.spec.ts`),
    globalSetup: ['clusters/provision/global-setup.ts'],
    setupFiles: ['clusters/provision/mark-failures.ts'],
    // Stories wait out DNS caches and status re-syncs: minutes, not seconds.
    testTimeout: 20 * MINUTE,
    hookTimeout: 30 * MINUTE,
    // Specs of one project share one cluster; disruptive steps must not overlap.
    fileParallelism: false,
  },
}));

const unknown = unknownProjectMessage(process.argv, [...CLUSTERLESS_PROJECTS, ...Object.keys(VARIANTS)]);
if (unknown) {
  process.stderr.write(`netrepro: ${unknown}\n`);
  process.exit(2);
}

export default defineConfig({
  test: {
    sequence: { sequencer: StoryOrder },
    reporters: [
      'default',
      ['junit', { outputFile: `${reportsDir()}/junit.xml` }],
      // Listing reporters switches off Vitest's automatic one on GitHub, so name it; the e2e
      // workflow writes its own cell summary, so Vitest's job summary stays off.
      ...(onGitHubActions() ? [['github-actions', { jobSummary: { enabled: false } }] as ['github-actions', object]] : []),
      // e2e runs also write Vitest's HTML report, plots attached to their tests (npx vite preview --outDir reports/html).
      ...(e2eRequested(process.argv) ? [['html', { outputFile: `${reportsDir()}/html/index.html` }] as ['html', object]] : []),
    ],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['{config,harness,clusters,stories,tools}/**/*.test.ts'], exclude: ['**/*.browser.test.ts', '**/node_modules/**'], testTimeout: 10_000 },
      },
      // Pages rendered in Debian's headless Chromium (npm run test:browser; .ci/run installs chromium).
      { extends: true, test: { name: 'browser', include: ['tools/**/*.browser.test.ts'], testTimeout: 60_000 } },
      // A bare `npx vitest` must not build six clusters: e2e projects run only when named.
      ...(projectsRequested(process.argv) ? e2eProjects : []),
    ],
  },
});
