/**
 * The architecture, checked by `npm run lint:deps` (run by `npm test`'s CI
 * entry point). Folders and what each may import:
 *   config/   pins, paths, environment, errors, versions: nothing of ours
 *   harness/  what specs use (fixtures, kube, waits, parsers): config/ and harness/
 *   clusters/ variants and provisioning: config/, harness/, stories/*\/story.ts (by import)
 *   stories/  one folder per story: anything but tools/
 *   tools/    CLIs (matrix, images, actionlint): anything; nothing imports them
 */
module.exports = {
  forbidden: [
    {
      name: 'config-imports-nothing-of-ours',
      severity: 'error',
      from: { path: '^config/' },
      to: { path: '^(harness|clusters|stories|tools)/' },
    },
    {
      name: 'only-tools-import-tools',
      comment: 'stories, harness and clusters run inside Vitest; tools/ are CLIs on top of them',
      severity: 'error',
      from: { path: '^(config|harness|clusters|stories)/' },
      to: { path: '^tools/' },
    },
    {
      name: 'harness-is-story-agnostic',
      severity: 'error',
      from: { path: '^harness/' },
      to: { path: '^stories/' },
    },
    {
      name: 'harness-does-not-provision',
      comment: 'the harness works on any cluster; provisioning builds on it, not the other way round',
      severity: 'error',
      from: { path: '^harness/' },
      to: { path: '^clusters/(provision|variants)/' },
    },
    {
      name: 'stories-do-not-import-each-other',
      severity: 'error',
      from: { path: '^stories/([^/]+)/' },
      to: { path: '^stories/([^/]+)/', pathNot: '^stories/$1/' },
    },
    {
      name: 'no-cycles',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-orphans',
      comment: 'a module nothing imports is dead code (entry points and tests excepted)',
      severity: 'error',
      from: {
        orphan: true,
        pathNot: ['\\.test\\.ts$', '\\.spec\\.ts$', '\\.d\\.ts$', '^vitest\\.config\\.ts$', '^tools/[^/]+\\.ts$', '^tools/[^/]+/cli\\.ts$', '^clusters/provision/(global-setup|mark-failures)\\.ts$', '\\.cjs$'],
      },
      to: {},
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|reports)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['es6', 'cjs'],
  },
};
