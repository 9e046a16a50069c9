// Parsers for story B evidence: `kubectl get ingress -w [-A]` lines and ingress-nginx
// status-update log lines, for finding who wrote which address.
import type { StatusTimeline } from './timeline.ts';

/**
 * Parses watch output into a timeline. kubectl prints no event time, so `t` is the AGE
 * column in ms (minute resolution once the object is older than ~3 minutes); order is
 * line order. `namespace` is used when the output has no NAMESPACE column;
 * `allNamespaces` says there is one when the header line is missing (`-A` mixed into other output).
 */
export function parseIngressWatch(text: string, opts: { namespace?: string; allNamespaces?: boolean } = {}): StatusTimeline {
  const timeline: StatusTimeline = [];
  let hasNamespaceColumn = opts.allNamespaces ?? false;
  for (const line of text.split('\n')) {
    // "a,b,c,d + 2 more..." is kubectl's shortened HOSTS column; it holds spaces.
    const tokens = line.replace(/ \+ \d+ more\.\.\./, '').trim().split(/\s+/);
    if (tokens[0] === 'NAMESPACE' || tokens[0] === 'NAME') {
      hasNamespaceColumn = tokens[0] === 'NAMESPACE';
      continue;
    }
    const fixed = hasNamespaceColumn ? 4 : 3; // [NAMESPACE] NAME CLASS HOSTS
    const age = parseAge(tokens.at(-1) ?? '');
    if (tokens.length < fixed + 2 || age === undefined) continue;
    const rest = tokens.slice(fixed, -1); // [ADDRESS] PORTS... ("80, 443" spans tokens)
    let portTokens = 0;
    while (portTokens < rest.length && /^\d+,?$/.test(rest[rest.length - 1 - portTokens] ?? '')) portTokens++;
    const addressTokens = rest.slice(0, rest.length - portTokens);
    if (portTokens === 0 || addressTokens.length > 1) continue;
    const namespace = hasNamespaceColumn ? tokens[0] : opts.namespace;
    const name = tokens[hasNamespaceColumn ? 1 : 0];
    timeline.push({
      t: age,
      ingress: namespace ? `${namespace}/${name}` : (name ?? ''),
      addresses: (addressTokens[0] ?? '').split(',').filter(Boolean),
    });
  }
  return timeline;
}

const AGE_UNITS: Record<string, number> = { y: 365 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };

/** kubectl's human durations: `45s`, `3m20s`, `141m`, `5h3m`, `2d4h`, `1y20d`. */
export function parseAge(age: string): number | undefined {
  if (!/^(\d+[ydhms])+$/.test(age)) return undefined;
  let ms = 0;
  for (const [, n = '', unit = ''] of age.matchAll(/(\d+)([ydhms])/g)) ms += Number(n) * (AGE_UNITS[unit] ?? 0);
  return ms;
}

/** One "updating Ingress status" log line of an ingress-nginx controller. */
export interface StatusUpdate {
  /** Which controller logged it: from `opts.writer`, a stern prefix (`namespace/pod`) or a `kubectl logs --prefix` prefix (`pod/name`). */
  writer?: string;
  /** `namespace/name`. */
  ingress: string;
  from: string[];
  to: string[];
  raw: string;
}

// Up to v0.x: klog.Infof("updating Ingress %v/%v status from %v to %v", ...), values are Go %v of []LoadBalancerIngress.
const PRINTF_FORM = /^(.*?)(?:[IWEF]\d{4} [\d:.]+\s+\d+ )?(?:\S+\.go:\d+\] )?updating Ingress (\S+?)\/(\S+) status from \[(.*)\] to \[(.*)\]\s*$/;
// v1.x: klog.InfoS("updating Ingress status", "namespace", ..., "ingress", ..., "currentValue", ..., "newValue", ...), values are JSON.
const STRUCTURED_FORM = /^(.*?)(?:[IWEF]\d{4} [\d:.]+\s+\d+ )?(?:\S+\.go:\d+\] )?"updating Ingress status" namespace="([^"]+)" ingress="([^"]+)" currentValue=(\S+) newValue=(\S+)/;

export function parseStatusUpdates(text: string, opts: { writer?: string } = {}): StatusUpdate[] {
  const updates: StatusUpdate[] = [];
  for (const line of text.split('\n')) {
    const raw = line.trim();
    const printf = PRINTF_FORM.exec(raw);
    const structured = printf ? undefined : STRUCTURED_FORM.exec(raw);
    const m = printf ?? structured;
    if (!m) continue;
    const [, prefix = '', namespace = '', name = '', from = '', to = ''] = m;
    const parse = printf ? goAddresses : jsonAddresses;
    const update: StatusUpdate = { ingress: `${namespace}/${name}`, from: parse(from), to: parse(to), raw };
    const writer = opts.writer ?? writerFromPrefix(prefix);
    if (writer !== undefined) update.writer = writer;
    updates.push(update);
  }
  return updates;
}

/** `{172.18.0.2 }` → IP, `{ lb.example.com}` → hostname; a trailing `[]` is the Ports field. */
function goAddresses(inner: string): string[] {
  return [...inner.matchAll(/\{([^{}]*?)(?:\s*\[[^\]]*\])?\}/g)]
    .map((m) => (m[1] ?? '').trim().split(/\s+/)[0] ?? '')
    .filter(Boolean);
}

function jsonAddresses(value: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed
    .map((e: { ip?: string; hostname?: string }) => e?.ip || e?.hostname || '')
    .filter(Boolean);
}

function writerFromPrefix(prefix: string): string | undefined {
  const kubectl = /^\[pod\/([^/\]]+)\/[^\]]+\]/.exec(prefix.trim());
  if (kubectl) return `pod/${kubectl[1]}`;
  const stern = prefix.trim().split(/\s+/);
  return stern.length === 3 ? `${stern[0]}/${stern[1]}` : undefined;
}

/** For each Ingress, which writers set which address list (joined with ','). */
export function writersByAddress(updates: readonly StatusUpdate[]): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  for (const u of updates) {
    const byAddress = out.get(u.ingress) ?? new Map<string, string[]>();
    out.set(u.ingress, byAddress);
    const key = u.to.join(',');
    const writers = byAddress.get(key) ?? [];
    const writer = u.writer ?? 'unknown';
    if (!writers.includes(writer)) writers.push(writer);
    byAddress.set(key, writers);
  }
  return out;
}
