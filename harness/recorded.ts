import { readFileSync } from 'node:fs';

/**
 * Recorded samples beside a module: `recordedBeside(import.meta.url)` gives a
 * function that reads `data/<name>` in that module's folder (each data/ folder
 * has a README naming every file's source).
 */
export function recordedBeside(moduleUrl: string) {
  return (name: string): string => readFileSync(new URL(`./data/${name}`, moduleUrl), 'utf8');
}
