// Parsers for `iptables -S` (rule specs) and `iptables -nvL [-x]` (listings with counters).

/** One `-A CHAIN ...` line of `iptables -S`. */
export interface IptablesRule {
  chain: string;
  /** Argument of -j (or -g); undefined for rules that only count. */
  target?: string;
  /** True for `-g` (goto) rather than `-j` (jump). */
  goto: boolean;
  /** Tokens before -j/-g, quotes removed, e.g. ['-m', 'conntrack', '--ctstate', 'INVALID']. */
  matches: string[];
  /** Tokens after the target, e.g. ['--to-destination', '10.0.0.1:80']. */
  targetArgs: string[];
  comment?: string;
  raw: string;
}

export interface IptablesRules {
  /** Built-in chain policies from `-P`. */
  policies: Record<string, string>;
  /** Every chain named by -P or -N, in listing order. */
  chains: string[];
  rules: IptablesRule[];
}

export function parseIptablesS(text: string): IptablesRules {
  const out: IptablesRules = { policies: {}, chains: [], rules: [] };
  for (const line of text.split('\n')) {
    const raw = line.trim();
    const tokens = tokenize(raw);
    const [flag, chain] = tokens;
    if (chain === undefined) continue;
    if (flag === '-P' && tokens[2] !== undefined) {
      out.policies[chain] = tokens[2];
      out.chains.push(chain);
    } else if (flag === '-N') {
      out.chains.push(chain);
    } else if (flag === '-A') {
      out.rules.push(ruleFrom(chain, tokens.slice(2), raw));
    }
  }
  return out;
}

function ruleFrom(chain: string, args: string[], raw: string): IptablesRule {
  const at = args.findIndex((t) => t === '-j' || t === '-g' || t === '--jump' || t === '--goto');
  const matches = at < 0 ? args : args.slice(0, at);
  const commentAt = matches.indexOf('--comment');
  const rule: IptablesRule = {
    chain,
    goto: at >= 0 && (args[at] === '-g' || args[at] === '--goto'),
    matches,
    targetArgs: at < 0 ? [] : args.slice(at + 2),
    raw,
  };
  const target = at < 0 ? undefined : args[at + 1];
  if (target !== undefined) rule.target = target;
  const comment = commentAt < 0 ? undefined : matches[commentAt + 1];
  if (comment !== undefined) rule.comment = comment;
  return rule;
}

/** Splits like iptables-save quotes: "double quoted" words with \" escapes. */
function tokenize(line: string): string[] {
  const tokens: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of line.matchAll(re)) {
    tokens.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? ''));
  }
  return tokens;
}

/** One rule line of `iptables -nvL`. */
export interface ListedRule {
  chain: string;
  packets: number;
  bytes: number;
  /** Empty string when the rule has no target. */
  target: string;
  prot: string;
  opt: string;
  in: string;
  out: string;
  source: string;
  destination: string;
  /** Everything after the destination column: match summaries and comments. */
  extra: string;
}

export interface ListedChain {
  name: string;
  /** Built-in chains only. */
  policy?: string;
  /** User chains only. */
  references?: number;
  rules: ListedRule[];
}

export interface IptablesListing {
  chains: ListedChain[];
  /** False when a counter used a K/M/G/T suffix (listing made without -x). */
  exact: boolean;
}

const CHAIN_HEADER = /^Chain (\S+) \((?:policy (\S+)|(\d+) references)/;
// target is optional: a rule without -j lists nothing there, and then `opt` moves one column left.
const RULE_LINE = /^\s*(\d+[KMGT]?)\s+(\d+[KMGT]?)\s+(?:(\S+)\s+)?(\S+)\s+(--|-f|!f)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)(?:\s+(.*?))?\s*$/;
const UNIT: Record<string, number> = { K: 1e3, M: 1e6, G: 1e9, T: 1e12 };

export function parseIptablesList(text: string): IptablesListing {
  const listing: IptablesListing = { chains: [], exact: true };
  let current: ListedChain | undefined;
  for (const line of text.split('\n')) {
    const header = CHAIN_HEADER.exec(line);
    if (header) {
      current = { name: header[1] ?? '', rules: [] };
      if (header[2] !== undefined) current.policy = header[2];
      if (header[3] !== undefined) current.references = Number(header[3]);
      listing.chains.push(current);
      continue;
    }
    const m = RULE_LINE.exec(line);
    if (!m || !current) continue;
    const [, pkts = '', bytes = '', target = '', prot = '', opt = '', inIf = '', outIf = '', source = '', destination = '', extra = ''] = m;
    if (/[KMGT]$/.test(pkts) || /[KMGT]$/.test(bytes)) listing.exact = false;
    current.rules.push({
      chain: current.name, packets: counter(pkts), bytes: counter(bytes),
      target, prot, opt, in: inIf, out: outIf, source, destination, extra,
    });
  }
  return listing;
}

function counter(value: string): number {
  const unit = UNIT[value.slice(-1)];
  return unit === undefined ? Number(value) : Number(value.slice(0, -1)) * unit;
}

// Targets that end or mark a packet rather than jump to a chain.
const BUILTIN_TARGETS = new Set([
  'ACCEPT', 'DROP', 'REJECT', 'RETURN', 'QUEUE', 'NFQUEUE', 'LOG', 'NFLOG', 'MARK', 'CONNMARK',
  'MASQUERADE', 'SNAT', 'DNAT', 'REDIRECT', 'NOTRACK', 'CT', 'TPROXY', 'TCPMSS', 'TRACE',
]);

type HasTarget = { chain: string; target?: string };

/** Chains jumped to from FORWARD, in evaluation order. Works on both parsers' rules. */
export function forwardJumpOrder(rules: readonly HasTarget[]): string[] {
  return rules
    .filter((r) => r.chain === 'FORWARD' && r.target && !BUILTIN_TARGETS.has(r.target))
    .map((r) => r.target as string);
}

export function firstForwardJump(rules: readonly HasTarget[]): string | undefined {
  return forwardJumpOrder(rules)[0];
}

/** All rules of a listing, flattened, for use with forwardJumpOrder. */
export function listedRules(listing: IptablesListing): ListedRule[] {
  return listing.chains.flatMap((c) => c.rules);
}

// `ctstate INVALID` alone or in a list, but not the negated `! ctstate ...`.
const CTSTATE_INVALID = /(?<!!\s)\bctstate\s+(?:\S*,)?INVALID\b/;

/** Sum of packet counters of DROP rules in `chain`; 0 if the chain is absent. */
export function dropPacketsIn(listing: IptablesListing, chain: string, opts: { ctstateInvalidOnly?: boolean } = {}): number {
  const rules = listing.chains.find((c) => c.name === chain)?.rules ?? [];
  return rules
    .filter((r) => r.target === 'DROP' && (!opts.ctstateInvalidOnly || CTSTATE_INVALID.test(r.extra)))
    .reduce((sum, r) => sum + r.packets, 0);
}
