import semver from 'semver';
import { VARIANTS } from '../../clusters/index.ts';
import { clusterName } from '../../clusters/provision/kind-config.ts';
import { VARIANT_NAMES, type Variant, type VariantName } from '../../clusters/types.ts';
import type { StoryId } from '../../stories/index.ts';
import { UserError } from '../../config/errors.ts';
import { findExpectation, missingRowMessage, type Expected } from '../../harness/expectations.ts';
import { ciliumControls, lookupCiliumVersion, type CiliumVersionPins } from '../../config/versions.ts';

/** The part of pins.json the matrix is made of: pinned versions and positive controls. */
export type CiliumPins = CiliumVersionPins;

/** The id part of a cell that runs without Cilium. */
export const NO_CILIUM = 'none';

/**
 * One unit of the matrix: a variant (a Vitest project, a kind cluster) at one
 * pinned Cilium version, or once when the variant installs no Cilium.
 */
export interface Cell {
  /** `<variant>@<cilium version or "none">`, e.g. `bpf@1.20.2`, `smoke@none`. */
  id: string;
  variant: VariantName;
  /** Pinned patch release; absent for variants without Cilium. */
  ciliumVersion?: string;
}

export const cellId = (variant: VariantName, ciliumVersion?: string) => `${variant}@${ciliumVersion ?? NO_CILIUM}`;

/** File-name and artifact-name safe form of a cell id: `bpf-1.20.2`, `smoke-none`. */
export const cellSlug = (cell: Pick<Cell, 'id'>) => cell.id.replace(/[^A-Za-z0-9._-]+/g, '-');

/** Pinned Cilium patch releases, oldest first. */
export function pinnedCiliumVersions(p: CiliumPins): string[] {
  return Object.values(p.cilium.versions).sort(semver.compare);
}

/**
 * The Cilium versions a variant runs, oldest first: every pinned version, plus
 * the positive controls (pins.json `cilium.controls`) whose minor it names in
 * `ciliumControls`. A named minor the pins do not list gives no cell (a unit
 * test keeps the real variants and pins in step).
 */
export function variantCiliumVersions(p: CiliumPins, variant: Pick<Variant, 'ciliumControls'>): string[] {
  const controls = ciliumControls(p);
  const extra = (variant.ciliumControls ?? []).flatMap((minor) => (controls[minor] ? [controls[minor]] : []));
  return [...new Set([...pinnedCiliumVersions(p), ...extra])].sort(semver.compare);
}

/**
 * Every cell, in variant order then version order: variants that install
 * Cilium once per pinned version (and per positive control they opt into),
 * the others once.
 */
export function buildCells(p: CiliumPins, variants: Record<VariantName, Variant> = VARIANTS): Cell[] {
  return VARIANT_NAMES.flatMap((name): Cell[] => {
    const variant = variants[name];
    if (!variant.cilium) return [{ id: cellId(name), variant: name }];
    return variantCiliumVersions(p, variant).map((ciliumVersion) => ({ id: cellId(name, ciliumVersion), variant: name, ciliumVersion }));
  });
}

/**
 * Picks cells by a comma-separated list. Each item is a cell id
 * (`bpf@1.20.2`, `smoke@none`), a variant with a minor (`bpf@1.20`), or a bare
 * variant (`bpf`: all its cells). Unknown items are a one-line UserError
 * naming the choices. Order follows `all`; duplicates collapse.
 */
export function selectCells(all: readonly Cell[], spec: string | undefined, p: CiliumPins): Cell[] {
  if (spec === undefined || spec.trim() === '') return [...all];
  const chosen = new Set<string>();
  for (const raw of spec.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const matches = matchCells(all, item, p);
    if (matches.length === 0) {
      throw new UserError(`unknown cell "${item}": choose from ${all.map((c) => c.id).join(', ')} (or a variant, or <variant>@<minor>)`);
    }
    for (const c of matches) chosen.add(c.id);
  }
  return all.filter((c) => chosen.has(c.id));
}

function matchCells(all: readonly Cell[], item: string, p: CiliumPins): Cell[] {
  const at = item.indexOf('@');
  if (at < 0) return all.filter((c) => c.variant === item);
  const variant = item.slice(0, at);
  const version = item.slice(at + 1).replace(/^v/, '');
  const patch = lookupCiliumVersion(p, version) ?? version;
  return all.filter((c) => c.variant === variant && (c.ciliumVersion ?? NO_CILIUM) === patch);
}

/** One (story, case) a cell is expected to conclude, and what its story's table expects. */
export interface CellExpectation {
  story: StoryId;
  case: string;
  /** 'unknown' also when no row answers; then `missingRow` is set. */
  expected: Expected;
  basis: string;
  /** The failure message a run gives when the story has no row for this case. */
  missingRow?: string;
}

/**
 * Every (story, case) a cell runs: the stories its variant names, each with
 * the cases it concludes on that variant, resolved at the cell's version.
 */
export function cellExpectations(cell: Cell, variants: Record<VariantName, Variant> = VARIANTS): CellExpectation[] {
  return variants[cell.variant].stories.flatMap((story) =>
    story.casesOn(cell.variant).map((c): CellExpectation => {
      const query = { case: c, variant: cell.variant, ciliumVersion: cell.ciliumVersion };
      const row = findExpectation(story.expectations, query);
      return row
        ? { story: story.id as StoryId, case: c, expected: row.expected, basis: row.basis }
        : { story: story.id as StoryId, case: c, expected: 'unknown', basis: 'no row', missingRow: missingRowMessage(story, query) };
    }),
  );
}

/** One `strategy.matrix.include` entry: strings only, so `${{ matrix.* }}` can use them directly. */
export interface MatrixInclude {
  cell: string;
  slug: string;
  variant: VariantName;
  /** Pinned patch release, or '' for variants without Cilium (CILIUM_VERSION unset). */
  cilium: string;
  /** The kind cluster the cell's run creates (for `kind export logs`). */
  cluster: string;
}

export function matrixInclude(cells: readonly Cell[]): { include: MatrixInclude[] } {
  return {
    include: cells.map((c) => ({ cell: c.id, slug: cellSlug(c), variant: c.variant, cilium: c.ciliumVersion ?? '', cluster: clusterName(VARIANTS[c.variant], c.ciliumVersion) })),
  };
}
