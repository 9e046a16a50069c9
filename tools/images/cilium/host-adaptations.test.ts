import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { applyHostAdaptations, HOST_ADAPTATIONS, hostAdaptationIds, type HostAdaptation } from './host-adaptations.ts';

const FILE = 'pkg/x/thing.go';
const BEFORE = 'package x\n\nfunc f() error {\n\treturn open()\n}\n';

function adaptation(needed: boolean): HostAdaptation {
  return { id: 'test-edit', needed: () => needed, versions: '<1.17.0', file: FILE, expect: '\treturn open()\n', replace: '\treturn nil\n', why: 'test' };
}

function trees(pristineText: string | undefined): { dir: string; pristine: string } {
  const root = mkdtempSync(join(tmpdir(), 'netrepro-adapt-'));
  const dir = join(root, 'copy');
  const pristine = join(root, 'pristine');
  for (const d of [dir, pristine]) mkdirSync(join(d, dirname(FILE)), { recursive: true });
  if (pristineText !== undefined) {
    writeFileSync(join(pristine, FILE), pristineText);
    writeFileSync(join(dir, FILE), pristineText);
  }
  return { dir, pristine };
}

const runner = () => {
  const notes: string[] = [];
  return {
    notes,
    note: (m: string) => void notes.push(m),
    fail: (m: string): never => {
      throw new Error(m);
    },
  };
};

describe('host adaptations of the Cilium source', () => {
  test('a needed edit replaces the expected text and is reported', () => {
    const { dir, pristine } = trees(BEFORE);
    const r = runner();
    const lines = applyHostAdaptations(r, dir, pristine, '1.16.4', [adaptation(true)]);
    expect(readFileSync(join(dir, FILE), 'utf8')).toContain('\treturn nil\n');
    expect(lines).toEqual([`test-edit in ${FILE}: test`]);
    expect(r.notes).toHaveLength(1);
  });

  test('applied twice, the file is edited once (restored from the pristine module first)', () => {
    const { dir, pristine } = trees(BEFORE);
    applyHostAdaptations(runner(), dir, pristine, '1.16.4', [adaptation(true)]);
    applyHostAdaptations(runner(), dir, pristine, '1.16.4', [adaptation(true)]);
    expect(readFileSync(join(dir, FILE), 'utf8')).toBe(BEFORE.replace('\treturn open()\n', '\treturn nil\n'));
  });

  test('an edit the host no longer needs is undone', () => {
    const { dir, pristine } = trees(BEFORE);
    applyHostAdaptations(runner(), dir, pristine, '1.16.4', [adaptation(true)]);
    expect(applyHostAdaptations(runner(), dir, pristine, '1.16.4', [adaptation(false)])).toEqual([]);
    expect(readFileSync(join(dir, FILE), 'utf8')).toBe(BEFORE);
  });

  test("a version outside the edit's range is left as the module has it", () => {
    const { dir, pristine } = trees(BEFORE);
    expect(applyHostAdaptations(runner(), dir, pristine, '1.20.2', [adaptation(true)])).toEqual([]);
    expect(readFileSync(join(dir, FILE), 'utf8')).toBe(BEFORE);
  });

  test('a version without the file needs nothing', () => {
    const { dir, pristine } = trees(undefined);
    expect(applyHostAdaptations(runner(), dir, pristine, '1.16.4', [adaptation(true)])).toEqual([]);
  });

  test('a file that changed shape fails the build with the adaptation named', () => {
    const { dir, pristine } = trees('package x\n');
    expect(() => applyHostAdaptations(runner(), dir, pristine, '1.16.4', [adaptation(true)])).toThrow(
      `host adaptation test-edit: ${FILE} does not contain the text it replaces`,
    );
  });

  test('the /proc/modules edit keeps the open and returns no modules when the file is absent', () => {
    const [procModules] = HOST_ADAPTATIONS;
    expect(procModules!.replace.startsWith(procModules!.expect.split('\n')[0]!)).toBe(true);
    expect(procModules!.replace).toContain('errors.Is(err, os.ErrNotExist)');
    expect(hostAdaptationIds('1.16.4', [adaptation(true), adaptation(false)])).toEqual(['test-edit']);
    expect(hostAdaptationIds('1.20.2', [adaptation(true)])).toEqual([]);
  });
});
