import semver from 'semver';
import { UserError } from './errors.ts';
import type { Pins } from './pins.ts';

/** The part of pins.json that names Cilium versions. */
export type CiliumVersionPins = { cilium: Pick<Pins['cilium'], 'versions' | 'controls'> };

/**
 * Pre-fix releases kept only as positive controls (pins.json
 * `cilium.controls`), minor → patch. Only variants that name the minor in
 * `ciliumControls` get a matrix cell for them.
 */
export function ciliumControls(p: CiliumVersionPins): Record<string, string> {
  return p.cilium.controls ?? {};
}

/**
 * A minor ("1.20") or patch ("1.20.2", "v1.20.2") → the pinned or control
 * patch release it names, or undefined. A pinned minor wins over a control
 * of the same minor, which is then reachable by its patch only.
 */
export function lookupCiliumVersion(p: CiliumVersionPins, requested: string): string | undefined {
  const wanted = requested.trim().replace(/^v/, '');
  const controls = ciliumControls(p);
  const byMinor = p.cilium.versions[wanted] ?? controls[wanted];
  if (byMinor) return byMinor;
  return [...Object.values(p.cilium.versions), ...Object.values(controls)].find((v) => v === wanted);
}

const EXACT_RELEASE = /^\d+\.\d+\.\d+$/;

/** True when the version is neither pinned nor a control (a bisect step or a one-off release). */
export function isUnpinned(p: CiliumVersionPins, version: string): boolean {
  return lookupCiliumVersion(p, version) === undefined;
}

/**
 * Resolves CILIUM_VERSION ("1.20", "1.20.2", "v1.20.2" or unset) to a pinned
 * patch release, or to a positive-control release (`cilium.controls`, e.g.
 * "1.16" or "1.16.4"), for any project.
 */
export function resolveCiliumVersion(pins: Pins, requested?: string, anyRelease = false): string {
  if (!requested) return pins.cilium.versions[pins.cilium.default]!;
  const found = lookupCiliumVersion(pins, requested);
  if (found) return found;
  const wanted = requested.replace(/^v/, '');
  // NETREPRO_ANY_RELEASE=1 (set by netrepro bisect): any exact release, built with CILIUM_REF=v<x.y.z>.
  if (anyRelease && EXACT_RELEASE.test(wanted)) return wanted;
  const known = Object.values(pins.cilium.versions);
  const controls = Object.entries(ciliumControls(pins));
  const hint = /^\d+\.\d+(\.\d+)?$/.test(wanted) ? 'it is not pinned' : 'it is not a version';
  const controlHint = controls.length
    ? `, or a positive control: ${controls.map(([minor, patch]) => `${minor} (${patch})`).join(', ')} (cilium.controls)`
    : '';
  throw new UserError(
    `CILIUM_VERSION="${requested}": ${hint}; use one of ${Object.keys(pins.cilium.versions).join(', ')} or ${known.join(', ')} (pins.json)${controlHint}`,
  );
}

export function ciliumMinor(version: string): string {
  const v = semver.coerce(version);
  if (!v) throw new UserError(`"${version}" is not a Cilium version`);
  return `${v.major}.${v.minor}`;
}
