import { execFileSync, spawnSync } from 'node:child_process';
import semver from 'semver';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { VARIANTS } from '../../clusters/index.ts';
import { isUserError } from '../../config/errors.ts';
import { buildCells, cellExpectations, cellSlug, matrixInclude, pinnedCiliumVersions, selectCells, variantCiliumVersions, type Cell } from './cells.ts';
import { pins } from '../../config/pins.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PINS = { cilium: { versions: { '1.20': '1.20.2', '1.18': '1.18.11', '1.19': '1.19.8' } } };
const cells = buildCells(PINS);
/** Three tsx CLI runs in one test; on a loaded machine each can take ten seconds or more. */
const CLI_SPAWNS_TIMEOUT_MS = 60_000;
const ids = (cs: Cell[]) => cs.map((c) => c.id);

describe('cells: pins × variants', () => {
  test('variants with Cilium get one cell per pinned version, the others one cell', () => {
    const withCilium = Object.values(VARIANTS).filter((v) => v.cilium).length;
    const without = Object.values(VARIANTS).length - withCilium;
    expect(cells).toHaveLength(withCilium * 3 + without);
    expect(ids(cells.filter((c) => c.variant === 'bpf'))).toEqual(['bpf@1.18.11', 'bpf@1.19.8', 'bpf@1.20.2']);
  });

  test('version-independent variants (smoke, puzzle) appear once, as <variant>@none, without a version', () => {
    for (const name of ['smoke', 'puzzle'] as const) {
      const mine = cells.filter((c) => c.variant === name);
      expect(mine).toEqual([{ id: `${name}@none`, variant: name }]);
    }
  });

  test('ids are unique, in variant order then version order (oldest first, whatever the pins order)', () => {
    expect(new Set(ids(cells)).size).toBe(cells.length);
    expect(ids(cells)[0]).toBe('smoke@none');
    expect(ids(cells).at(-1)).toBe('puzzle@none');
    expect(ids(cells)).toContain('race@1.19.8');
  });

  test('the real pins give one cell per pinned Cilium version', () => {
    const real = buildCells(pins);
    for (const v of Object.values(pins.cilium.versions)) expect(ids(real)).toContain(`bpf@${v}`);
  });

  test('slugs are safe for file and artifact names', () => {
    expect(cellSlug({ id: 'bpf@1.20.2' })).toBe('bpf-1.20.2');
    expect(cellSlug({ id: 'smoke@none' })).toBe('smoke-none');
  });
});

describe('--cells selection', () => {
  test('no spec or an empty one selects every cell', () => {
    expect(selectCells(cells, undefined, PINS)).toEqual(cells);
    expect(selectCells(cells, ' ', PINS)).toEqual(cells);
  });

  test('cell ids, variant@minor and bare variants; matrix order, duplicates collapse', () => {
    expect(ids(selectCells(cells, 'smoke@none,bpf@1.20.2', PINS))).toEqual(['smoke@none', 'bpf@1.20.2']);
    expect(ids(selectCells(cells, 'bpf@1.20.2, smoke@none', PINS))).toEqual(['smoke@none', 'bpf@1.20.2']);
    expect(ids(selectCells(cells, 'cnp@1.18,cnp@1.18.11', PINS))).toEqual(['cnp@1.18.11']);
    expect(ids(selectCells(cells, 'race', PINS))).toEqual(['race@1.18.11', 'race@1.19.8', 'race@1.20.2']);
    expect(ids(selectCells(cells, 'bpf@v1.19.8', PINS))).toEqual(['bpf@1.19.8']);
  });

  test.each([
    ['bogus@1.20.2', 'unknown cell "bogus@1.20.2"'],
    ['bpf@1.15.3', 'unknown cell "bpf@1.15.3"'],
    ['bpf@none', 'unknown cell "bpf@none"'],
    ['smoke@1.20.2', 'unknown cell "smoke@1.20.2"'],
    ['bpf@1.20.2,nope', 'unknown cell "nope"'],
  ])('%s is a one-line UserError naming the choices', (spec, start) => {
    let err: unknown;
    try {
      selectCells(cells, spec, PINS);
    } catch (e) {
      err = e;
    }
    expect(isUserError(err)).toBe(true);
    const message = (err as Error).message;
    expect(message.startsWith(start)).toBe(true);
    expect(message).not.toContain('\n');
    expect(message).toContain('smoke@none, bpf@1.18.11');
  });
});

describe('expected outcomes per cell (each variant\'s stories)', () => {
  const at = (id: string) => cellExpectations(cells.find((c) => c.id === id)!);

  test('a cell lists every case its stories conclude on its variant, each resolved at its version', () => {
    for (const cell of cells) {
      const variant = VARIANTS[cell.variant];
      const wanted = variant.stories.flatMap((s) => s.casesOn(cell.variant).map((c) => `${s.id}/${c}`));
      expect(at(cell.id).map((e) => `${e.story}/${e.case}`), cell.id).toEqual(wanted);
      expect(at(cell.id).every((e) => e.missingRow === undefined), `${cell.id} has a row for every case`).toBe(true);
    }
  });

  test("bpf: story A's three socket-LB cases and story E's cases, with their expectations", () => {
    expect(at(`bpf@${pins.cilium.versions['1.20']}`).map((e) => `${e.story}/${e.case}=${e.expected}`)).toEqual([
      'auth-url/default=healthy', 'auth-url/terminate-pod-connections-off=affected', 'auth-url/host-namespace-only=healthy',
      'udp-clients/terminating-per-packet-connected=affected', 'udp-clients/terminating-per-packet-unconnected=affected',
      'udp-clients/replaced-connected=healthy', 'udp-clients/replaced-unconnected=affected',
      'udp-clients/terminating-connected=affected', 'udp-clients/terminating-unconnected=affected',
      'udp-clients/rev-map-evicted-connected=affected', 'udp-clients/rev-map-evicted-unconnected=affected',
    ]);
    expect(at(`bpf@${pins.cilium.versions['1.18']}`).filter((e) => e.story === 'udp-clients').map((e) => `${e.case}=${e.expected}`)).toEqual([
      'terminating-per-packet-connected=affected', 'terminating-per-packet-unconnected=affected',
      'replaced-connected=healthy', 'replaced-unconnected=healthy', 'terminating-connected=affected', 'terminating-unconnected=healthy',
      'rev-map-evicted-connected=affected', 'rev-map-evicted-unconnected=healthy',
    ]);
    expect(at('race@1.19.8').map((e) => `${e.case}=${e.expected}`)).toEqual(['structural=affected', 'data-plane=healthy', 'data-plane-legacy-routing=healthy', 'healed=healthy']);
  });

  test('a version outside every range has no row: the cell names the missing row instead of passing it as unknown', () => {
    const old = buildCells({ cilium: { versions: { '1.15': '1.15.3' } } });
    const bpf = cellExpectations(old.find((c) => c.id === 'bpf@1.15.3')!);
    expect(bpf.map((e) => e.missingRow)).toEqual([
      expect.stringContaining('no expectation row for auth-url/default on bpf, Cilium 1.15.3'),
      expect.stringContaining('auth-url/terminate-pod-connections-off'),
      expect.stringContaining('auth-url/host-namespace-only'),
      ...Array.from({ length: 8 }, () => expect.stringContaining('no expectation row for udp-clients/')),
    ]);
  });
});

describe('positive controls (pins.json cilium.controls, variants opt in by minor)', () => {
  const WITH_CONTROLS = { cilium: { versions: PINS.cilium.versions, controls: { '1.16': '1.16.4' } } };
  const withControls = buildCells(WITH_CONTROLS);
  const optedIn = (Object.keys(VARIANTS) as (keyof typeof VARIANTS)[]).filter((n) => VARIANTS[n].cilium && VARIANTS[n].ciliumControls?.length);

  test('only variants that name a control minor get its cell; every other cell is unchanged', () => {
    expect(optedIn).toContain('race');
    const added = withControls.filter((c) => !ids(cells).includes(c.id));
    expect(new Set(added.map((c) => c.variant))).toEqual(new Set(optedIn));
    for (const c of added) expect(c.ciliumVersion).toBe('1.16.4');
    expect(ids(withControls.filter((c) => !added.includes(c)))).toEqual(ids(cells));
    expect(ids(withControls)).toContain('race@1.16.4');
    for (const name of Object.keys(VARIANTS)) {
      if (!optedIn.includes(name as (typeof optedIn)[number])) expect(ids(withControls)).not.toContain(`${name}@1.16.4`);
    }
  });

  test('a variant\'s cells stay oldest first and unique, a control among them', () => {
    for (const name of optedIn) {
      const versions = withControls.filter((c) => c.variant === name).map((c) => c.ciliumVersion!);
      expect(versions).toEqual([...versions].sort(semver.compare));
      expect(new Set(versions).size).toBe(versions.length);
      expect(versions).toEqual(variantCiliumVersions(WITH_CONTROLS, VARIANTS[name]));
    }
    expect(variantCiliumVersions(WITH_CONTROLS, {})).toEqual(pinnedCiliumVersions(WITH_CONTROLS));
    // a minor the pins do not list as a control adds nothing; a control equal to a pinned patch is one cell
    expect(variantCiliumVersions(WITH_CONTROLS, { ciliumControls: ['1.15'] })).toEqual(pinnedCiliumVersions(WITH_CONTROLS));
    const same = { cilium: { versions: { '1.20': '1.20.2' }, controls: { '1.20': '1.20.2' } } };
    expect(variantCiliumVersions(same, { ciliumControls: ['1.20'] })).toEqual(['1.20.2']);
  });

  test('--cells: <variant>@<control minor> and the control patch pick the control cell; other variants have none', () => {
    expect(ids(selectCells(withControls, 'race@1.16', WITH_CONTROLS))).toEqual(['race@1.16.4']);
    expect(ids(selectCells(withControls, 'race@v1.16.4', WITH_CONTROLS))).toEqual(['race@1.16.4']);
    expect(ids(selectCells(withControls, 'race', WITH_CONTROLS))).toContain('race@1.16.4');
    expect(() => selectCells(withControls, 'bpf@1.16', WITH_CONTROLS)).toThrow(/^unknown cell "bpf@1\.16"/);
  });

  test('the real pins: every minor a variant opts into is a control, and only opted-in variants run controls', () => {
    const controls = pins.cilium.controls ?? {};
    const real = buildCells(pins);
    for (const variant of Object.values(VARIANTS)) {
      for (const minor of variant.ciliumControls ?? []) {
        expect(Object.keys(controls), `${variant.name} names control ${minor}`).toContain(minor);
        expect(ids(real)).toContain(`${variant.name}@${controls[minor]}`);
      }
    }
    for (const version of Object.values(controls)) {
      expect(Object.values(pins.cilium.versions), `control ${version} is not also pinned`).not.toContain(version);
      const runners = real.filter((c) => c.ciliumVersion === version).map((c) => c.variant);
      expect(runners.length, `control ${version} has a cell`).toBeGreaterThan(0);
      for (const v of runners) expect(VARIANTS[v].ciliumControls?.map((m) => controls[m])).toContain(version);
    }
  });

  test('the real pins: every cell, controls included, has a row for every case it runs', () => {
    for (const cell of buildCells(pins)) {
      const missing = cellExpectations(cell).filter((e) => e.missingRow).map((e) => e.missingRow);
      expect(missing, cell.id).toEqual([]);
    }
  });

  test('story C\'s data plane: affected on the pre-fix control, healthy on every pinned version', () => {
    const dataPlane = (v: string) => cellExpectations({ id: `race@${v}`, variant: 'race', ciliumVersion: v }).find((e) => e.case === 'data-plane')!;
    for (const version of Object.values(pins.cilium.controls ?? {})) {
      if (semver.lt(version, '1.16.5')) expect(dataPlane(version).expected, version).toBe('affected');
    }
    expect(dataPlane('1.16.4').expected).toBe('affected');
    expect(dataPlane('1.16.5').expected).toBe('healthy');
    expect(dataPlane('1.17.0').expected).toBe('healthy');
    for (const version of Object.values(pins.cilium.versions)) expect(dataPlane(version).expected, version).toBe('healthy');
    expect(dataPlane('1.21.0').expected).toBe('unknown');
  });
});

describe('--json for strategy.matrix', () => {
  test('include entries carry strings only; no-Cilium cells have an empty cilium', () => {
    const { include } = matrixInclude(selectCells(cells, 'smoke@none,bpf@1.20.2', PINS));
    expect(include).toEqual([
      { cell: 'smoke@none', slug: 'smoke-none', variant: 'smoke', cilium: '', cluster: 'netrepro-smoke' },
      { cell: 'bpf@1.20.2', slug: 'bpf-1.20.2', variant: 'bpf', cilium: '1.20.2', cluster: 'netrepro-bpf-1-20-2' },
    ]);
  });

  test('the CLI prints the JSON alone on stdout, and one line for a bad cell', () => {
    const tsx = ['--import', 'tsx', 'tools/matrix/cli.ts'];
    const json = JSON.parse(execFileSync(process.execPath, [...tsx, '--json'], { cwd: ROOT, encoding: 'utf8' })) as { include: unknown[] };
    expect(json.include).toHaveLength(buildCells(pins).length);
    const list = execFileSync(process.execPath, [...tsx, '--list', '--cells', 'smoke,bpf@1.20'], { cwd: ROOT, encoding: 'utf8' });
    expect(list).toBe(`smoke@none\nbpf@${pins.cilium.versions['1.20']}\n`);
    const bad = spawnSync(process.execPath, [...tsx, '--list', '--cells', 'bpf@9.9'], { cwd: ROOT, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^netrepro matrix: unknown cell "bpf@9\.9": choose from /);
  }, CLI_SPAWNS_TIMEOUT_MS);
});
