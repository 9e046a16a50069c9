// Parser for `hubble observe -o json|jsonpb` output and Hubble export files: one JSON
// object per line, either a GetFlowsResponse `{"flow":{...}}` or a bare Flow.

export interface HubbleFlow {
  /** RFC 3339 timestamp as Hubble prints it (nanoseconds). */
  time: string;
  verdict: string;
  /** `drop_reason_desc`, e.g. STALE_OR_UNROUTABLE_IP; only for DROPPED flows. */
  dropReason?: string;
  srcIp?: string;
  dstIp?: string;
  dstPort?: number;
  /** The l4 key: TCP, UDP, SCTP, ICMPv4 or ICMPv6. */
  protocol?: string;
  /** `namespace/pod_name`, when the endpoint is a pod. */
  srcPod?: string;
  dstPod?: string;
}

interface RawEndpoint { namespace?: string; pod_name?: string }
interface RawFlow {
  time?: string;
  verdict?: string;
  drop_reason_desc?: string;
  IP?: { source?: string; destination?: string };
  l4?: Record<string, { destination_port?: number } | undefined>;
  source?: RawEndpoint;
  destination?: RawEndpoint;
}

/**
 * Lines that are not flows (node_status, lost_events, blank) are skipped; a line that
 * is not JSON throws, naming its line number, because it means the capture is broken.
 */
export function parseHubbleFlows(text: string): HubbleFlow[] {
  const flows: HubbleFlow[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new Error(`hubble output line ${i + 1} is not JSON: ${line.slice(0, 80)}`, { cause: e });
    }
    const flow = asFlow(value);
    if (flow) flows.push(toHubbleFlow(flow));
  });
  return flows;
}

function asFlow(value: unknown): RawFlow | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const wrapped = (value as { flow?: unknown }).flow;
  const candidate = typeof wrapped === 'object' && wrapped !== null ? wrapped : value;
  return typeof (candidate as RawFlow).verdict === 'string' ? (candidate as RawFlow) : undefined;
}

function toHubbleFlow(f: RawFlow): HubbleFlow {
  const out: HubbleFlow = { time: f.time ?? '', verdict: f.verdict ?? '' };
  if (f.drop_reason_desc) out.dropReason = f.drop_reason_desc;
  if (f.IP?.source) out.srcIp = f.IP.source;
  if (f.IP?.destination) out.dstIp = f.IP.destination;
  const [protocol, l4] = Object.entries(f.l4 ?? {})[0] ?? [];
  if (protocol) out.protocol = protocol;
  if (l4?.destination_port !== undefined) out.dstPort = l4.destination_port;
  const srcPod = podName(f.source);
  const dstPod = podName(f.destination);
  if (srcPod) out.srcPod = srcPod;
  if (dstPod) out.dstPod = dstPod;
  return out;
}

function podName(e: RawEndpoint | undefined): string | undefined {
  return e?.pod_name ? `${e.namespace ?? ''}/${e.pod_name}` : undefined;
}
