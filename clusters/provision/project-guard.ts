/**
 * Vitest answers an unknown --project with a stack trace; netrepro answers
 * with one line. Returns the message for the first unknown name, if any.
 */
export function unknownProjectMessage(argv: readonly string[], known: readonly string[]): string | undefined {
  const asked: string[] = [];
  argv.forEach((arg, i) => {
    if (arg === '--project') asked.push(argv[i + 1] ?? '');
    else if (arg.startsWith('--project=')) asked.push(arg.slice('--project='.length));
  });
  const unknown = asked.find((name) => !name.includes('*') && !known.includes(name));
  if (unknown === undefined) return undefined;
  return `unknown project "${unknown}": choose one of ${known.join(', ')}`;
}

/** Whether the command line names any project; without one only the unit tier runs. */
export const projectsRequested = (argv: readonly string[]) => argv.some((a) => a === '--project' || a.startsWith('--project='));

/** Whether the command line names an e2e project (anything but the unit tier). */
export function e2eRequested(argv: readonly string[]): boolean {
  return argv.some((arg, i) => {
    const name = arg === '--project' ? argv[i + 1] : arg.startsWith('--project=') ? arg.slice('--project='.length) : undefined;
    return name !== undefined && name !== 'unit';
  });
}
