/**
 * Vitest answers an unknown --project with a stack trace; netrepro answers
 * with one line. Returns the message for the first unknown name, if any.
 */
export function unknownProjectMessage(argv: readonly string[], known: readonly string[]): string | undefined {
  const unknown = projectsNamed(argv).find((name) => !name.includes('*') && !known.includes(name));
  if (unknown === undefined) return undefined;
  return `unknown project "${unknown}": choose one of ${known.join(', ')}`;
}

/** Whether the command line names any project; without one only the unit tier runs. */
export const projectsRequested = (argv: readonly string[]) => argv.some((a) => a === '--project' || a.startsWith('--project='));

/** Projects that need no cluster: the unit tier and the browser test of the report page. */
export const CLUSTERLESS_PROJECTS = ['unit', 'browser'] as const;

/** Whether the command line names an e2e project (one that needs a cluster). */
export function e2eRequested(argv: readonly string[]): boolean {
  return projectsNamed(argv).some((name) => !(CLUSTERLESS_PROJECTS as readonly string[]).includes(name));
}

/** The projects `--project NAME` / `--project=NAME` name on a command line. */
function projectsNamed(argv: readonly string[]): string[] {
  const named: string[] = [];
  argv.forEach((arg, i) => {
    if (arg === '--project') named.push(argv[i + 1] ?? '');
    else if (arg.startsWith('--project=')) named.push(arg.slice('--project='.length));
  });
  return named;
}
