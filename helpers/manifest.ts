import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/**
 * Reads fixtures/<path> and fills its {{name}} placeholders. A placeholder
 * without a value is an error, so a fixture never reaches the cluster half-filled.
 */
export function renderFixture(path: string, values: Record<string, string | number>): string {
  const text = readFileSync(FIXTURES + path, 'utf8');
  return text.replace(/\{\{\s*([a-zA-Z0-9_]+)\s*\}\}/g, (_, key: string) => {
    if (!(key in values)) throw new Error(`fixture ${path} needs a value for {{${key}}}`);
    return String(values[key]);
  });
}
