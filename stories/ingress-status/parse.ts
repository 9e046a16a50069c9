// Parsers for story B evidence: `kubectl get ingress [-w] [-A]` tables and ingress-nginx
// status-update log lines, for finding who wrote which address. Both keep the contract of
// harness/parse/result.ts: content with no record recognised is an `UnrecognisedInput`
// error, lines read past are counted in `skipped`, numbers that do not parse are errors.
import { finish, parseCount, quoteLine, SkipCounter, type Parsed } from '../../harness/parse/result.ts';
import type { StatusSample } from './timeline.ts';

// ---------------------------------------------------------------------------------------
// kubectl get ingress

export interface IngressTableOptions {
  /** Namespace of the rows when the table has no NAMESPACE column. */
  namespace?: string;
  /** The rows have a NAMESPACE column although no header line says so (`-A --no-headers`, `-A -w` mixed into other output). */
  allNamespaces?: boolean;
}

/** The optional columns of `[NAMESPACE] NAME [CLASS] HOSTS ADDRESS PORTS AGE` (CLASS since kubectl 1.19). */
interface Columns {
  namespace: boolean;
  class: boolean;
}

const HEADERS = new Map<string, Columns>([
  ['NAME HOSTS ADDRESS PORTS AGE', { namespace: false, class: false }],
  ['NAME CLASS HOSTS ADDRESS PORTS AGE', { namespace: false, class: true }],
  ['NAMESPACE NAME HOSTS ADDRESS PORTS AGE', { namespace: true, class: false }],
  ['NAMESPACE NAME CLASS HOSTS ADDRESS PORTS AGE', { namespace: true, class: true }],
]);

/** kubectl's message for an empty list: the input was understood and holds no row. */
const NO_RESOURCES = /^No resources found(?: in \S+ namespace)?\.$/;

/** A table row split around its fixed tail: `cells` are [NAMESPACE] NAME [CLASS] HOSTS [ADDRESS]. */
interface Row {
  line: string;
  cells: string[];
  t: number;
  /** From the last header line above the row; undefined for header-less rows. */
  columns: Columns | undefined;
}

/**
 * Parses `kubectl get ingress` output, with or without `-w`, `-A`, `--no-headers`, and with
 * or without the CLASS column (kubectl before 1.19 prints `NAME HOSTS ADDRESS PORTS AGE`).
 * A header line says which columns there are; rows without one are placed by their column
 * count, and a row whose count fits both layouts (an ADDRESS without CLASS, or a CLASS
 * without ADDRESS) takes the layout the other header-less rows show. kubectl prints no
 * event time, so `t` is the AGE column in ms (minute resolution once the object is older
 * than ~3 minutes); order is line order.
 */
export function parseIngressWatch(text: string, opts: IngressTableOptions = {}): Parsed<StatusSample> {
  const counter = new SkipCounter();
  const entries: (Row | { skip: string })[] = [];
  let columns: Columns | undefined;
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '' || NO_RESOURCES.test(trimmed)) continue;
    const header = HEADERS.get(trimmed.split(/\s+/).join(' '));
    if (header) {
      columns = header;
      continue;
    }
    const row = tableRow(line);
    entries.push(row ? { ...row, columns } : { skip: line });
  }

  // Header-less rows: four cells after the namespace only fit CLASS with ADDRESS, two only fit neither.
  const base = opts.allNamespaces ? 1 : 0;
  const counts = new Set(entries.flatMap((e) => ('cells' in e && !e.columns ? [e.cells.length - base] : [])));
  const headerless: boolean | undefined = counts.has(4) && !counts.has(2) ? true : counts.has(2) && !counts.has(4) ? false : undefined;

  const records: StatusSample[] = [];
  for (const entry of entries) {
    if ('skip' in entry) {
      counter.skip(entry.skip);
      continue;
    }
    const sample = rowSample(entry, entry.columns ?? headerlessColumns(entry.cells, base, headerless), opts);
    if (sample) records.push(sample);
    else counter.skip(entry.line);
  }
  return finish('kubectl get ingress output', text, records, counter);
}

/** Splits off AGE and PORTS (`80` or `80, 443`); undefined when the line does not end like a row. */
function tableRow(line: string): Omit<Row, 'columns'> | undefined {
  // "a,b,c,d + 2 more..." is kubectl's shortened HOSTS column; it holds spaces.
  const cells = line.replace(/ \+ \d+ more\.\.\./, '').trim().split(/\s+/);
  const age = cells.pop() ?? '';
  if (!AGE.test(age) || !/^\d+$/.test(cells.at(-1) ?? '')) return undefined;
  cells.pop();
  while (/^\d+,$/.test(cells.at(-1) ?? '')) cells.pop();
  return { line, cells, t: parseAge(age) };
}

function headerlessColumns(cells: string[], base: number, layout: boolean | undefined): Columns | undefined {
  const namespace = base === 1;
  const n = cells.length - base;
  if (n === 4) return { namespace, class: true };
  if (n === 2) return { namespace, class: false };
  if (n !== 3) return undefined;
  if (layout !== undefined) return { namespace, class: layout };
  // NAME X Y: CLASS and HOSTS, or HOSTS and ADDRESS. `<none>` is kubectl's empty CLASS;
  // Ingress hosts are never IP addresses, so IPs in Y are an ADDRESS.
  const [x = '', y = ''] = cells.slice(base + 1);
  if (x === '<none>') return { namespace, class: true };
  if (y.split(',').every((a) => IP.test(a))) return { namespace, class: false };
  return undefined;
}

function rowSample(row: Row, columns: Columns | undefined, opts: IngressTableOptions): StatusSample | undefined {
  if (!columns) return undefined;
  const lead = (columns.namespace ? 1 : 0) + 1 + (columns.class ? 1 : 0) + 1;
  const address = row.cells.slice(lead);
  if (row.cells.length < lead || address.length > 1) return undefined;
  const addresses = (address[0] ?? '').split(',').filter(Boolean);
  if (!addresses.every((a) => ADDRESS.test(a))) return undefined;
  const namespace = columns.namespace ? row.cells[0] : opts.namespace;
  const name = row.cells[columns.namespace ? 1 : 0] ?? '';
  return { t: row.t, ingress: namespace ? `${namespace}/${name}` : name, addresses };
}

const AGE = /^(?:\d+[ydhms])+$/;
const AGE_UNITS: Record<string, number> = { y: 365 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };

/** kubectl's human durations: `45s`, `3m20s`, `141m`, `5h3m`, `2d4h`, `1y20d`; anything else is an error. */
export function parseAge(age: string): number {
  if (!AGE.test(age)) throw new Error(`AGE: "${quoteLine(age)}" is not a kubectl duration`);
  let ms = 0;
  for (const [, n = '', unit = ''] of age.matchAll(/(\d+)([ydhms])/g)) ms += parseCount(n, 'AGE') * (AGE_UNITS[unit] ?? 0);
  if (!Number.isSafeInteger(ms)) throw new Error(`AGE: "${quoteLine(age)}" is out of range`);
  return ms;
}

const IP = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]+)$/;
/** An IP or a hostname (as printed; a redacted `xx.yy.zz.xx` passes too). */
const ADDRESS = /^[\w.:-]+$/;

// ---------------------------------------------------------------------------------------
// ingress-nginx controller logs

/** One "updating Ingress status" log line of an ingress-nginx controller. */
export interface StatusUpdate {
  /**
   * Which controller logged it: `opts.writer`, else the log tailer's prefix: `namespace/pod`
   * (stern -A: `namespace pod container`), `pod` (stern, kubetail: `pod container`) or
   * `pod/name` (`kubectl logs --prefix`: `[pod/name/container]`).
   */
  writer?: string;
  /** `namespace/name`. */
  ingress: string;
  /** The status before; absent in the 0.x `status to [...]` form, which does not log it. */
  from?: string[];
  to: string[];
  raw: string;
}

/**
 * Reads a controller log (`kubectl logs`, `kubectl logs --prefix [--timestamps]`, stern)
 * for status updates in every form ingress-nginx has logged them:
 *
 * - 0.x printf: `updating Ingress ns/name status to [{1.2.3.4 }]` (before ~0.20) and
 *   `updating Ingress ns/name status from [...] to [...]`, values in Go `%v`;
 * - ≥ 1.0 structured: `"updating Ingress status" namespace="ns" ingress="name"
 *   currentValue=... newValue=...`, values JSON (`null`, `[{"ip":"…"}]`) or, with older
 *   klog, Go `%+v` (`[{IP:1.2.3.4 Hostname: Ports:[]}]`);
 * - either message re-emitted logrus/logfmt style: `level=info msg="…"`.
 *
 * The controller's other lines (klog lines with or without their header, the version
 * banner, NGINX access and error log lines) are known and not counted; anything else,
 * and any "updating Ingress" line that does not parse, is counted in `skipped`.
 */
export function parseStatusUpdates(text: string, opts: { writer?: string } = {}): Parsed<StatusUpdate> {
  const counter = new SkipCounter();
  const updates: StatusUpdate[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const split = splitLogLine(line);
    if (!split) {
      counter.skip(line);
      continue;
    }
    if (split.body.message === undefined || !split.body.message.includes('updating Ingress')) continue;
    const found = statusUpdate(split.body.message, split.body.fields);
    if (!found) {
      counter.skip(line);
      continue;
    }
    const writer = opts.writer ?? split.writer;
    const update: StatusUpdate = { ...(writer !== undefined ? { writer } : {}), ingress: found.ingress, to: found.to, raw: line.trim() };
    if (found.from !== undefined) update.from = found.from;
    updates.push(update);
  }
  return finish('ingress-nginx controller log', text, updates, counter);
}

/** A known log line; `message` is set for klog and logfmt lines, which may carry an update. */
interface LogBody {
  message?: string;
  /** logfmt key=value pairs after `msg=`. */
  fields?: string;
}

const KUBECTL_PREFIX = /^\[pod\/([^/\]\s]+)\/[^\]\s]+\]\s+/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})\s+/;

/** Strips a `kubectl logs --prefix`, `--timestamps` or log-tailer prefix off a known log line. */
function splitLogLine(line: string): { writer?: string; body: LogBody } | undefined {
  let rest = line.trim();
  const kubectl = KUBECTL_PREFIX.exec(rest);
  if (kubectl) rest = rest.slice(kubectl[0].length);
  const direct = logBody(rest.replace(TIMESTAMP, ''));
  if (direct) return kubectl ? { writer: `pod/${kubectl[1]}`, body: direct } : { body: direct };
  if (kubectl) return undefined;
  // Log tailers: `pod container …` (stern, kubetail) or `namespace pod container …` (stern -A).
  const words = rest.split(/\s+/);
  for (const n of [2, 3] as const) {
    if (words.length <= n) break;
    const body = logBody(rest.replace(n === 2 ? /^\S+\s+\S+\s+/ : /^\S+\s+\S+\s+\S+\s+/, '').replace(TIMESTAMP, ''));
    if (body) return { writer: n === 2 ? words[0] : `${words[0]}/${words[1]}`, body };
  }
  return undefined;
}

const KLOG = /^[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+(?:\s+\d+)? [^\s\]]+:\d+\](?: (.*))?$/;
/** A klog line whose `I0102 15:04:05.000000  7 ` header was cut off (as in copied write-ups). */
const KLOG_TAIL = /^[\w.-]+\.go:\d+\](?: (.*))?$/;
const LOGFMT = /^(?:time="[^"]*"\s+)?level=\w+\s+msg=("(?:[^"\\]|\\.)*"|\S+)(.*)$/;
/** NGINX access log in the `upstreaminfo` (ingress-nginx) or `combined` format. */
const ACCESS = /^\S+ - (?:\[[^\]]*\] - )?\S+ \[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] "/;
const NGINX_ERROR = /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} \[(?:debug|info|notice|warn|error|crit|alert|emerg)\] /;
/** The version banner ingress-nginx prints at start. */
const BANNER = /^(?:-{20,}|NGINX Ingress controller|(?:Release|Build|Repository|nginx version):\s.*)$/;

function logBody(body: string): LogBody | undefined {
  const klog = KLOG.exec(body) ?? KLOG_TAIL.exec(body);
  if (klog) return { message: klog[1] ?? '' };
  const logfmt = LOGFMT.exec(body);
  if (logfmt) {
    const message = unquote(logfmt[1] ?? '');
    return message === undefined ? undefined : { message, fields: logfmt[2] ?? '' };
  }
  if (ACCESS.test(body) || NGINX_ERROR.test(body) || BANNER.test(body)) return {};
  return undefined;
}

// Up to ~0.20: glog.Infof("updating Ingress %v/%v status to %v", ...).
const PRINTF_TO = /^updating Ingress (\S+?)\/(\S+) status to \[(.*)\]$/;
// 0.2x–0.4x: klog.Infof("updating Ingress %v/%v status from %v to %v", ...).
const PRINTF_FROM_TO = /^updating Ingress (\S+?)\/(\S+) status from \[(.*)\] to \[(.*)\]$/;
// ≥ 1.0: klog.InfoS("updating Ingress status", "namespace", ..., "ingress", ..., "currentValue", ..., "newValue", ...).
const STRUCTURED = /^"updating Ingress status" namespace="([^"]*)" ingress="([^"]*)" currentValue=(.*?) newValue=(.*)$/;

function statusUpdate(message: string, fields: string | undefined): { ingress: string; from?: string[]; to: string[] } | undefined {
  const m = message.trim();
  const fromTo = PRINTF_FROM_TO.exec(m);
  if (fromTo) {
    const [, ns = '', name = '', from = '', to = ''] = fromTo;
    const before = goValues(from);
    const after = goValues(to);
    return before && after ? { ingress: `${ns}/${name}`, from: before, to: after } : undefined;
  }
  const toOnly = PRINTF_TO.exec(m);
  if (toOnly) {
    const [, ns = '', name = '', to = ''] = toOnly;
    const after = goValues(to);
    return after ? { ingress: `${ns}/${name}`, to: after } : undefined;
  }
  const structured = STRUCTURED.exec(m);
  if (structured) {
    const [, ns = '', name = '', from = '', to = ''] = structured;
    return structuredUpdate(ns, name, from, to);
  }
  // logfmt re-emission of the structured message: msg="updating Ingress status" namespace=... .
  if (m === 'updating Ingress status' && fields !== undefined) {
    const kv = logfmtFields(fields);
    const ns = kv?.get('namespace');
    const name = kv?.get('ingress');
    const from = kv?.get('currentValue');
    const to = kv?.get('newValue');
    if (ns === undefined || name === undefined || from === undefined || to === undefined) return undefined;
    return structuredUpdate(ns, name, from, to);
  }
  return undefined;
}

function structuredUpdate(ns: string, name: string, from: string, to: string) {
  const before = structuredValues(from);
  const after = structuredValues(to);
  return ns && name && before && after ? { ingress: `${ns}/${name}`, from: before, to: after } : undefined;
}

/** Go `%v` of []LoadBalancerIngress, brackets removed: `{172.18.0.2 }`, `{ lb.example.com}`, `{10.0.0.1  []}`. */
function goValues(inner: string): string[] | undefined {
  const groups = braceGroups(inner);
  if (!groups) return undefined;
  // Fields in declaration order: IP, Hostname[, IPMode][, Ports].
  return addressesOf(groups.map((group) => {
    const [ip = '', hostname = ''] = topLevelFields(group);
    return [ip, hostname] as const;
  }));
}

/** Each entry's address (its IP, else its hostname; empty entries left out), or undefined when one is not an address. */
function addressesOf(entries: ReadonlyArray<readonly [string, string]>): string[] | undefined {
  const out: string[] = [];
  for (const [ip, hostname] of entries) {
    const address = ip || hostname;
    if (address === '') continue;
    if (!ADDRESS.test(address)) return undefined;
    out.push(address);
  }
  return out;
}

/** klog.InfoS values: JSON (`null`, `[]`, `[{"ip":"…"},{"hostname":"…"}]`) or Go `%+v` (`[{IP:1.2.3.4 Hostname: Ports:[]}]`). */
function structuredValues(value: string): string[] | undefined {
  const v = value.trim();
  if (v === 'null' || v === '[]') return [];
  try {
    const parsed: unknown = JSON.parse(v);
    if (!Array.isArray(parsed)) return undefined;
    const entries: Array<readonly [string, string]> = [];
    for (const e of parsed as unknown[]) {
      if (typeof e !== 'object' || e === null) return undefined;
      const { ip, hostname } = e as { ip?: unknown; hostname?: unknown };
      entries.push([typeof ip === 'string' ? ip : '', typeof hostname === 'string' ? hostname : '']);
    }
    return addressesOf(entries);
  } catch {
    // Not JSON: Go %+v.
  }
  if (!v.startsWith('[') || !v.endsWith(']')) return undefined;
  const groups = braceGroups(v.slice(1, -1));
  if (!groups) return undefined;
  const entries: Array<readonly [string, string]> = [];
  for (const group of groups) {
    const fields = new Map(topLevelFields(group).map((f) => [f.slice(0, f.indexOf(':')), f.slice(f.indexOf(':') + 1)] as const));
    const ip = fields.get('IP');
    const hostname = fields.get('Hostname');
    if (ip === undefined || hostname === undefined) return undefined;
    entries.push([ip, hostname]);
  }
  return addressesOf(entries);
}

/** `{a} {b}` → ['a', 'b'] (nested braces and brackets kept); '' → []; undefined when it is not that shape. */
function braceGroups(text: string): string[] | undefined {
  const groups: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '{') return undefined;
    let depth = 0;
    let j = i;
    for (; j < text.length; j++) {
      const c = text[j];
      if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') depth--;
      if (depth === 0) break;
    }
    if (j >= text.length || text[j] !== '}') return undefined;
    groups.push(text.slice(i + 1, j));
    i = j + 1;
    if (i < text.length) {
      if (text[i] !== ' ') return undefined;
      i++;
    }
  }
  return groups;
}

/** Splits on single spaces outside nested `{}` / `[]`; empty fields are kept (Go prints empty strings as nothing). */
function topLevelFields(text: string): string[] {
  const fields: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === ' ' && depth === 0) {
      fields.push(text.slice(start, i));
      start = i + 1;
    }
  }
  fields.push(text.slice(start));
  return fields;
}

/** logfmt `key=value key="quoted value"`; undefined when a quoted value does not unquote. */
function logfmtFields(text: string): Map<string, string> | undefined {
  const out = new Map<string, string>();
  for (const [, key = '', raw = ''] of text.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    const value = raw.startsWith('"') ? unquote(raw) : raw;
    if (value === undefined) return undefined;
    out.set(key, value);
  }
  return out;
}

/** A Go-quoted (strconv.Quote) or bare logfmt value. */
function unquote(value: string): string | undefined {
  if (!value.startsWith('"')) return value;
  try {
    const s: unknown = JSON.parse(value);
    return typeof s === 'string' ? s : undefined;
  } catch {
    return undefined;
  }
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
