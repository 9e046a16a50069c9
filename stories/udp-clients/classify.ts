// Story E: UDP clients across a backend change (README.md beside this file).
import type { Classification } from '../../harness/outcome.ts';
import type { Attempt } from './client-log.ts';

export type ClientKind = 'connected' | 'unconnected';

/** When the backend change happened, in epoch ms, as the spec saw it. */
export interface ChangeTimes {
  /** The old backend pod began terminating: its server stopped answering. */
  oldTerminatingAt: number;
  /** A new backend pod was Ready. */
  newReadyAt: number;
  /** The old pod was gone from the API (end of its grace period). */
  oldGoneAt: number;
  /** The spec stopped looking. */
  windowEnd: number;
}

export interface UdpClientInput {
  client: ClientKind;
  attempts: readonly Attempt[];
  /** Pod names: the server answers with its hostname, which is its pod's name. */
  oldBackend: string;
  newBackend: string;
  times: ChangeTimes;
}

/** The client sends every 500 ms and waits 400 ms for the answer (manifests/udp-client.pl arguments). */
export const CLIENT_INTERVAL_MS = 500;
export const CLIENT_TIMEOUT_MS = 400;

export const UDP_THRESHOLDS = {
  /** Replies from the old backend before the change: the client worked to begin with. */
  minBaselineReplies: 3,
  /**
   * From the moment the old server stopped and a new one was Ready, a client
   * that gets no answer from the new backend within this long is affected.
   * Endpoint propagation and socket termination take a second or two here;
   * kube-proxy's sync and conntrack clean-up a few more.
   */
  recoveryBudgetMs: 10_000,
  /** The log must reach this close to the window's end, or the client stopped early. */
  logEndSlackMs: 4 * CLIENT_INTERVAL_MS,
} as const;

/** ECONNABORTED, what a socket destroyed by the kernel (bpf_sock_destroy) reports to its owner. */
const ABORTED = /connection abort/i;

const isReplyFrom = (a: Attempt, backend: string) => a.result === 'reply' && a.reply === backend;

function tally(attempts: readonly Attempt[], from: number, to: number): string {
  const inWindow = attempts.filter((a) => a.t >= from && a.t < to);
  return `${inWindow.filter((a) => a.result === 'reply').length}/${inWindow.length}`;
}

export function classifyUdpClient(input: UdpClientInput): Classification {
  const { attempts, times, oldBackend, newBackend, client } = input;
  const switchAt = Math.max(times.oldTerminatingAt, times.newReadyAt);
  const baseline = attempts.filter((a) => a.t < times.oldTerminatingAt && isReplyFrom(a, oldBackend)).length;
  const afterSwitch = attempts.filter((a) => a.t >= switchAt && a.t <= times.windowEnd);
  const recovered = afterSwitch.find((a) => isReplyFrom(a, newBackend));
  const recoveryMs = recovered ? recovered.t - switchAt : undefined;
  const silenceMs = longestSilence(afterSwitch, switchAt, times.windowEnd);
  const errors = attempts.filter((a) => a.t >= times.oldTerminatingAt && a.result === 'error');
  const aborted = errors.filter((a) => ABORTED.test(a.error ?? ''));
  const lastT = attempts.at(-1)?.t ?? 0;
  const sockets = new Set(attempts.map((a) => a.sock)).size;

  const figures: Classification['figures'] = {
    repliesBefore: tally(attempts, 0, times.oldTerminatingAt),
    repliesDuringTermination: tally(attempts, times.oldTerminatingAt, times.oldGoneAt),
    repliesAfterGone: tally(attempts, times.oldGoneAt, times.windowEnd + 1),
    recoveryMs: recoveryMs ?? 'never',
    longestSilenceMs: silenceMs,
    noAnswerAfterSwitch: afterSwitch.filter((a) => !isReplyFrom(a, newBackend)).length,
    repliesFromOldAfterSwitch: afterSwitch.filter((a) => isReplyFrom(a, oldBackend)).length,
    socketErrors: errors.length,
    refusedReports: attempts.filter((a) => a.t >= times.oldTerminatingAt && a.result === 'refused').length,
    abortedSockets: aborted.length,
    socketsOpened: sockets,
    terminationMs: times.oldGoneAt - times.oldTerminatingAt,
  };
  if (errors[0]) figures.firstError = errors[0].error ?? '';

  if (baseline < UDP_THRESHOLDS.minBaselineReplies) {
    return { outcome: 'inconclusive', reason: `${client} client: ${baseline} replies from ${oldBackend} before the change (need ${UDP_THRESHOLDS.minBaselineReplies}): it never worked, so nothing can be said about the change`, figures };
  }
  if (lastT < times.windowEnd - UDP_THRESHOLDS.logEndSlackMs) {
    return { outcome: 'inconclusive', reason: `${client} client: its log ends ${Math.round((times.windowEnd - lastT) / 1000)} s before the window's end (did the client exit?)`, figures };
  }
  if (client === 'unconnected' && aborted.length > 0) {
    return { outcome: 'affected', reason: `unconnected socket torn down ${aborted.length} time(s) though it never connect()ed ("${aborted[0]!.error}")`, figures };
  }
  if (recoveryMs === undefined) {
    return { outcome: 'affected', reason: `${client} client: no answer from the new backend ${newBackend} in the ${Math.round((times.windowEnd - switchAt) / 1000)} s after it was Ready and the old one stopped`, figures };
  }
  if (silenceMs > UDP_THRESHOLDS.recoveryBudgetMs) {
    return { outcome: 'affected', reason: `${client} client: ${(silenceMs / 1000).toFixed(1)} s without any answer after the old server stopped (budget ${UDP_THRESHOLDS.recoveryBudgetMs / 1000} s); the new backend first answered after ${(recoveryMs / 1000).toFixed(1)} s`, figures };
  }
  return { outcome: 'healthy', reason: `${client} client: at most ${(silenceMs / 1000).toFixed(1)} s without an answer; the new backend answered ${(recoveryMs / 1000).toFixed(1)} s after the old one stopped${errors.length ? `, after ${errors.length} socket error(s)` : ''}`, figures };
}

/** The longest stretch after `from` (up to `to`) in which no datagram was answered, in ms. */
function longestSilence(attempts: readonly Attempt[], from: number, to: number): number {
  let last = from;
  let longest = 0;
  for (const a of attempts) {
    if (a.result !== 'reply') continue;
    longest = Math.max(longest, a.t - last);
    last = a.t;
  }
  return Math.max(longest, to - last);
}
