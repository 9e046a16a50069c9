import { formatDuration as fmt } from './duration.ts';

/** An error that escaped a step, tagged with the innermost step's name. */
export type StepFailure = Error & { step?: string };

/** Runs one named step, printing what it does and how long it took. */
export async function step<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  process.stderr.write(`[netrepro] ${what} …\n`);
  try {
    const result = await fn();
    process.stderr.write(`[netrepro] ${what}: done in ${fmt(Date.now() - started)}\n`);
    return result;
  } catch (e) {
    process.stderr.write(`[netrepro] ${what}: failed after ${fmt(Date.now() - started)}\n`);
    if (e instanceof Error) (e as StepFailure).step ??= what;
    throw e;
  }
}

export function note(message: string): void {
  process.stderr.write(`[netrepro] ${message}\n`);
}
