import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type ManifestValues = Record<string, string | number>;

/** Fills {{name}} placeholders; a placeholder without a value is an error, so nothing reaches the cluster half-filled. */
export function fillPlaceholders(text: string, values: ManifestValues, what: string): string {
  return text.replace(/\{\{\s*([a-zA-Z0-9_]+)\s*\}\}/g, (_, key: string) => {
    if (!(key in values)) throw new Error(`manifest ${what} needs a value for {{${key}}}`);
    return String(values[key]);
  });
}

/**
 * The manifests of a story: `manifestsOf(import.meta.url)` gives a function
 * that reads `manifests/<name>` beside the calling module and fills it.
 */
export function manifestsOf(moduleUrl: string) {
  return (name: string, values: ManifestValues = {}): string => {
    const path = fileURLToPath(new URL(`./manifests/${name}`, moduleUrl));
    return fillPlaceholders(readFileSync(path, 'utf8'), values, path);
  };
}
