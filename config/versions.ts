import semver from 'semver';
import { UserError } from './errors.ts';
import type { Pins } from './pins.ts';

/** Resolves CILIUM_VERSION ("1.20", "1.20.2", "v1.20.2" or unset) to a pinned patch release. */
export function resolveCiliumVersion(pins: Pins, requested?: string): string {
  const known = Object.values(pins.cilium.versions);
  if (!requested) return pins.cilium.versions[pins.cilium.default]!;
  const wanted = requested.replace(/^v/, '');
  const byMinor = pins.cilium.versions[wanted];
  if (byMinor) return byMinor;
  if (known.includes(wanted)) return wanted;
  const hint = /^\d+\.\d+(\.\d+)?$/.test(wanted) ? 'it is not pinned' : 'it is not a version';
  throw new UserError(
    `CILIUM_VERSION="${requested}": ${hint}; use one of ${Object.keys(pins.cilium.versions).join(', ')} or ${known.join(', ')} (pins.json)`,
  );
}

export function ciliumMinor(version: string): string {
  const v = semver.coerce(version);
  if (!v) throw new UserError(`"${version}" is not a Cilium version`);
  return `${v.major}.${v.minor}`;
}
