import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dataFolders = [join(ROOT, 'harness', 'parse', 'data'), ...readdirSync(join(ROOT, 'stories')).map((d) => join(ROOT, 'stories', d, 'data'))].filter(existsSync);

test('every recorded sample is named in its data README with where it came from', () => {
  expect(dataFolders.length).toBeGreaterThan(1);
  const unnamed: string[] = [];
  for (const dir of dataFolders) {
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    for (const file of readdirSync(dir)) {
      if (file === 'README.md' || statSync(join(dir, file)).isDirectory()) continue;
      if (!readme.includes(`\`${file}\``)) unnamed.push(join(dir, file).slice(ROOT.length));
    }
  }
  expect(unnamed).toEqual([]);
});
