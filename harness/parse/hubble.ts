// Parser for `hubble observe` output, line by line:
// - JSON (`-o json|jsonpb`, Hubble export files): a GetFlowsResponse `{"flow":{...}}` or a bare Flow;
// - the default text form (`-o compact`):
//     Jun  9 20:38:30.645: default/sleep-6d68f49858-7ppbf:43145 (ID:43148) <- kube-system/coredns-565d847f94-wq69m:53 (ID:37585) to-endpoint FORWARDED (UDP)
//     Aug  7 21:40:47.320: fe80::a0ec:7cff:fe45:72b (ID:32748) <> ff02::2 (unknown) Unsupported L3 protocol DROPPED (ICMPv6 RouterSolicitation)
//     May 14 22:45:49.857 [minikube]: kube-system/hubble-gnjtk:34850 -> kube-system/coredns-66bff467f8-tzfv9:53(domain) dns-request FORWARDED (DNS Query google.com. AAAA)
// - the table form of older CLIs (`TIMESTAMP  SOURCE  DESTINATION  TYPE  VERDICT  SUMMARY`, columns
//   three or more spaces apart).

import { isIPv4, isIPv6 } from 'node:net';
import { finish, parseCount, quoteLine, SkipCounter, type Parsed } from './result.ts';

export interface HubbleFlow {
  /** As printed: RFC 3339 in JSON (nanoseconds), `Jun  9 20:38:30.645` in the text forms. */
  time: string;
  /** FORWARDED, DROPPED, ...; policy-verdict events in the compact form print ALLOWED / DENIED / AUDITED. */
  verdict: string;
  /**
   * Why the packet was dropped, as the output names it: `drop_reason_desc` in JSON
   * (e.g. STALE_OR_UNROUTABLE_IP), the type column in text (e.g. `Stale or unroutable IP`).
   * Absent for flows that were not dropped and for L7 drops (their type is e.g. `http-request`).
   */
  dropReason?: string;
  srcIp?: string;
  dstIp?: string;
  srcPort?: number;
  dstPort?: number;
  /** The l4 key in JSON: TCP, UDP, SCTP, ICMPv4 or ICMPv6. Not set from the text forms. */
  protocol?: string;
  /** `namespace/pod_name` (or `namespace/service` where Hubble names the service), when the endpoint is one. */
  srcPod?: string;
  dstPod?: string;
  /** Text forms: the identity printed beside an endpoint, `ID:43148` or a name such as `world`. */
  srcIdentity?: string;
  dstIdentity?: string;
  /** Text forms: the type column (`to-endpoint`, `policy-verdict:none INGRESS`, `Policy denied`, ...). */
  type?: string;
  /** Text forms: the summary in parentheses (`UDP`, `TCP Flags: SYN`, `HTTP/1.1 PUT ...`). */
  summary?: string;
  /** The node, when printed (`[minikube]`, or `node_name` in JSON). */
  node?: string;
}

const WHAT = 'hubble observe output';

interface RawEndpoint { namespace?: string; pod_name?: string }
interface RawFlow {
  time?: string;
  verdict?: string;
  drop_reason_desc?: string;
  node_name?: string;
  IP?: { source?: string; destination?: string };
  l4?: Record<string, { source_port?: unknown; destination_port?: unknown } | undefined>;
  source?: RawEndpoint;
  destination?: RawEndpoint;
}

/** GetFlowsResponse members that are not flows (observer.proto). */
const NON_FLOW_RESPONSES = ['node_status', 'lost_events', 'agent_event', 'debug_event'];

const VERDICTS = 'FORWARDED|DROPPED|ERROR|AUDIT|REDIRECTED|TRACED|TRANSLATED|ALLOWED|DENIED|AUDITED';
const TIME = /^(?:[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}(?:\.\d+)?|\d{2}:\d{2}:\d{2}(?:\.\d+)?|\d{4}-\d{2}-\d{2}T\S+)$/;
/** `<time>[ [node]]: <rest>`: the time ends in a digit or `Z`, the rest starts after the first `: `. */
const COMPACT_PREFIX = /^(.*?[\dZ])(?: \[([^\]]+)\])?: (.+)$/;
const ARROW = / (->|<-|<>) /;
/** After the arrow: `<dst>[ (<identity>)] [<type> ]<VERDICT>[ BY <policies>] (<summary>)`. */
const COMPACT_TAIL = new RegExp(`^(\\S+)(?: \\(((?:ID:\\d+)|[a-z][a-z0-9-]*)\\))?(?: (.+?))? (${VERDICTS})(?: BY .*?)?(?: \\((.*)\\))?$`);
const COMPACT_SOURCE = /^(\S+)(?: \(((?:ID:\d+)|[a-z][a-z0-9-]*)\))?$/;
const TABLE_HEADER = /^TIMESTAMP\s+(?:NODE\s+)?SOURCE\s+DESTINATION\s+TYPE\s+VERDICT\s+SUMMARY$/;
/** Hubble's lost-events notice in the text forms. */
const EVENTS_LOST = /^EVENTS LOST: /;

/**
 * Flows in `hubble observe` output (JSON, compact or table form; any mix). Known non-flow
 * lines (node_status / lost_events responses, the table header, `EVENTS LOST:`) are not
 * counted as skipped. A line that starts like JSON but is not JSON throws, naming its line
 * number: the capture is broken. Throws `UnrecognisedInput` when the input has content but
 * no flow; other unrecognised lines are counted in `skipped`.
 */
export function parseHubbleFlows(text: string): Parsed<HubbleFlow> {
  const counter = new SkipCounter();
  const flows: HubbleFlow[] = [];
  text.split('\n').forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === '') return;
    if (trimmed.startsWith('{')) {
      let value: unknown;
      try {
        value = JSON.parse(trimmed);
      } catch (e) {
        throw new Error(`hubble output line ${i + 1} is not JSON: ${quoteLine(line.slice(0, 80))}`, { cause: e });
      }
      if (isNonFlowResponse(value)) return;
      const flow = asFlow(value);
      if (flow) flows.push(jsonFlow(flow, i + 1));
      else counter.skip(line);
      return;
    }
    if (TABLE_HEADER.test(trimmed) || EVENTS_LOST.test(trimmed)) return;
    const flow = compactFlow(trimmed) ?? tableFlow(trimmed);
    if (flow) flows.push(flow);
    else counter.skip(line);
  });
  return finish(WHAT, text, flows, counter);
}

function isNonFlowResponse(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return !keys.includes('flow') && NON_FLOW_RESPONSES.some((k) => keys.includes(k));
}

function asFlow(value: unknown): RawFlow | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const wrapped = (value as { flow?: unknown }).flow;
  const candidate = typeof wrapped === 'object' && wrapped !== null ? wrapped : value;
  return typeof (candidate as RawFlow).verdict === 'string' ? (candidate as RawFlow) : undefined;
}

function jsonFlow(f: RawFlow, lineNo: number): HubbleFlow {
  const out: HubbleFlow = { time: f.time ?? '', verdict: f.verdict ?? '' };
  if (f.drop_reason_desc) out.dropReason = f.drop_reason_desc;
  if (f.IP?.source) out.srcIp = f.IP.source;
  if (f.IP?.destination) out.dstIp = f.IP.destination;
  const [protocol, l4] = Object.entries(f.l4 ?? {})[0] ?? [];
  if (protocol) out.protocol = protocol;
  if (l4?.source_port !== undefined) out.srcPort = jsonPort(l4.source_port, `line ${lineNo}: l4.${protocol}.source_port`);
  if (l4?.destination_port !== undefined) out.dstPort = jsonPort(l4.destination_port, `line ${lineNo}: l4.${protocol}.destination_port`);
  const srcPod = podName(f.source);
  const dstPod = podName(f.destination);
  if (srcPod) out.srcPod = srcPod;
  if (dstPod) out.dstPod = dstPod;
  if (f.node_name) out.node = f.node_name;
  return out;
}

/** A port in JSON is a number; anything else (a string, a fraction, a negative) is an error. */
function jsonPort(value: unknown, field: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  return parseCount(typeof value === 'string' ? value : JSON.stringify(value) ?? String(value), field);
}

function podName(e: RawEndpoint | undefined): string | undefined {
  return e?.pod_name ? `${e.namespace ?? ''}/${e.pod_name}` : undefined;
}

function compactFlow(line: string): HubbleFlow | undefined {
  const prefix = COMPACT_PREFIX.exec(line);
  if (!prefix) return undefined;
  const [, time = '', node, rest = ''] = prefix;
  if (!TIME.test(time)) return undefined;
  const arrow = ARROW.exec(rest);
  if (!arrow) return undefined;
  const left = COMPACT_SOURCE.exec(rest.slice(0, arrow.index));
  const right = COMPACT_TAIL.exec(rest.slice(arrow.index + arrow[0].length));
  if (!left || !right) return undefined;
  const [, leftAddr = '', leftId] = left;
  const [, rightAddr = '', rightId, type, verdict = '', summary] = right;
  // `a <- b` is a reply printed with its destination first: the flow goes from b to a.
  const reply = arrow[1] === '<-';
  const src = endpoint(reply ? rightAddr : leftAddr);
  const dst = endpoint(reply ? leftAddr : rightAddr);
  if (!src || !dst) return undefined;
  const out: HubbleFlow = { time, verdict };
  if (node !== undefined) out.node = node;
  setEndpoint(out, 'src', src, reply ? rightId : leftId);
  setEndpoint(out, 'dst', dst, reply ? leftId : rightId);
  if (type !== undefined) out.type = type;
  if (verdict === 'DROPPED' && type !== undefined && /^[A-Z]/.test(type)) out.dropReason = type;
  if (summary !== undefined) out.summary = summary;
  return out;
}

function tableFlow(line: string): HubbleFlow | undefined {
  const cols = line.split(/ {3,}/);
  if (cols.length !== 6 && cols.length !== 7) return undefined;
  const [time = '', ...others] = cols;
  const node = cols.length === 7 ? others.shift() : undefined;
  const [srcCol = '', dstCol = '', type = '', verdict = '', summary = ''] = others;
  if (!TIME.test(time) || !new RegExp(`^(?:${VERDICTS})$`).test(verdict)) return undefined;
  const src = endpoint(srcCol);
  const dst = endpoint(dstCol);
  if (!src || !dst) return undefined;
  const out: HubbleFlow = { time, verdict };
  if (node !== undefined) out.node = node;
  setEndpoint(out, 'src', src, undefined);
  setEndpoint(out, 'dst', dst, undefined);
  out.type = type;
  if (verdict === 'DROPPED' && /^[A-Z]/.test(type)) out.dropReason = type;
  out.summary = summary;
  return out;
}

interface Endpoint { ip?: string; pod?: string; port?: number }

/**
 * `ns/pod:port`, `ns/pod`, `10.0.0.1:53`, `[fd00::1]:53`, or a bare IPv6 address (Hubble
 * brackets IPv6 when it prints a port); older CLIs add the service name after the port, `53(domain)`.
 */
function endpoint(value: string): Endpoint | undefined {
  if (isIPv6(value)) return { ip: value };
  const m = /^(.+?)(?::(\d+)(?:\([a-z0-9-]+\))?)?$/.exec(value);
  if (!m) return undefined;
  const [, host = '', port] = m;
  const out: Endpoint = {};
  const bracketed = /^\[(.+)\]$/.exec(host)?.[1];
  if (bracketed !== undefined) {
    if (!isIPv6(bracketed)) return undefined;
    out.ip = bracketed;
  } else if (isIPv4(host)) out.ip = host;
  else if (/^[\w.-]+\/[\w.-]+$/.test(host)) out.pod = host;
  else return undefined;
  if (port !== undefined) out.port = parseCount(port, `port of ${value}`);
  return out;
}

function setEndpoint(out: HubbleFlow, side: 'src' | 'dst', e: Endpoint, identity: string | undefined): void {
  if (e.ip !== undefined) out[`${side}Ip`] = e.ip;
  if (e.pod !== undefined) out[`${side}Pod`] = e.pod;
  if (e.port !== undefined) out[`${side}Port`] = e.port;
  if (identity !== undefined) out[`${side}Identity`] = identity;
}
