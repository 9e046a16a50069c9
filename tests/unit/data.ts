import { readFileSync } from 'node:fs';

/** Contents of a recorded sample in tests/unit/data/ (see its README for sources). */
export function readData(name: string): string {
  return readFileSync(new URL(`./data/${name}`, import.meta.url), 'utf8');
}
