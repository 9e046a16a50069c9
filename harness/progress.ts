import { formatDuration as fmt } from './duration.ts';

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
    throw e;
  }
}

export function note(message: string): void {
  process.stderr.write(`[netrepro] ${message}\n`);
}
