import { defineConfig } from 'vitest/config';
import { VARIANTS } from './clusters/index.ts';
import { projectsRequested, unknownProjectMessage } from './helpers/project-guard.ts';

const MINUTE = 60_000;

// One project per cluster variant; its name is the variant and its global
// setup builds (or reuses) kind cluster netrepro-<name>.
const e2eProjects = Object.values(VARIANTS).map((variant) => ({
  extends: true as const,
  test: {
    name: variant.name,
    include: variant.stories.map((spec) => `tests/${spec}.spec.ts`),
    globalSetup: ['helpers/setup/global-setup.ts'],
    setupFiles: ['helpers/setup/mark-failures.ts'],
    // Stories wait out DNS caches and status re-syncs: minutes, not seconds.
    testTimeout: 20 * MINUTE,
    hookTimeout: 30 * MINUTE,
    // Specs of one project share one cluster; disruptive steps must not overlap.
    fileParallelism: false,
  },
}));

const unknown = unknownProjectMessage(process.argv, ['unit', ...Object.keys(VARIANTS)]);
if (unknown) {
  process.stderr.write(`netrepro: ${unknown}\n`);
  process.exit(2);
}

export default defineConfig({
  test: {
    reporters: ['default', ['junit', { outputFile: `${process.env.NETREPRO_REPORTS || 'reports'}/junit.xml` }]],
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], testTimeout: 10_000 } },
      // A bare `npx vitest` must not build six clusters: e2e projects run only when named.
      ...(projectsRequested(process.argv) ? e2eProjects : []),
    ],
  },
});
