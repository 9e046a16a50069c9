import { describe, expect, test } from 'vitest';
import type { Attempt } from './client-log.ts';
import { CLIENT_INTERVAL_MS, classifyUdpClient, type ChangeTimes } from './classify.ts';

// Attempts are built here, one per 500 ms, to pin the rules; real logs are in data/.
const S = 1000;
function series(fromMs: number, toMs: number, what: (t: number) => Partial<Attempt>, sock = 1): Attempt[] {
  const out: Attempt[] = [];
  for (let t = fromMs; t < toMs; t += CLIENT_INTERVAL_MS) out.push({ t, seq: t / CLIENT_INTERVAL_MS, sock, lport: 40000, result: 'timeout', ...what(t) });
  return out;
}
const old = () => ({ result: 'reply' as const, reply: 'server-old' });
const fresh = () => ({ result: 'reply' as const, reply: 'server-new' });
const silent = () => ({ result: 'timeout' as const });
const times: ChangeTimes = { oldTerminatingAt: 10 * S, newReadyAt: 8 * S, oldGoneAt: 12 * S, windowEnd: 40 * S };
const input = (attempts: Attempt[], client: 'connected' | 'unconnected' = 'connected') => ({ client, attempts, oldBackend: 'server-old', newBackend: 'server-new', times });

describe('classifyUdpClient', () => {
  test('healthy: the socket is torn down, the client opens a new one and the new backend answers at once', () => {
    const attempts = [
      ...series(0, 10 * S, old),
      { t: 10 * S, seq: 20, sock: 1, lport: 0, result: 'error' as const, error: 'recv: Software caused connection abort' },
      ...series(10.5 * S, 40.5 * S, fresh, 2),
    ];
    const c = classifyUdpClient(input(attempts));
    expect(c.outcome).toBe('healthy');
    expect(c.figures).toMatchObject({ recoveryMs: 500, socketErrors: 1, abortedSockets: 1, socketsOpened: 2, repliesBefore: '20/20' });
  });

  test('affected: the socket keeps pointing at the old backend for the whole window', () => {
    const c = classifyUdpClient(input([...series(0, 10 * S, old), ...series(10 * S, 40.5 * S, silent)]));
    expect(c.outcome).toBe('affected');
    expect(c.figures).toMatchObject({ recoveryMs: 'never', repliesAfterGone: '0/57' });
    expect(c.reason).toMatch(/no answer from the new backend/);
  });

  test('affected: it recovers only when the terminating pod is finally gone, past the budget', () => {
    const c = classifyUdpClient(input([...series(0, 10 * S, old), ...series(10 * S, 35 * S, silent), ...series(35 * S, 40.5 * S, fresh)]));
    expect(c.outcome).toBe('affected');
    expect(c.figures.recoveryMs).toBe(25 * S);
  });

  test('an old backend that goes on answering while it terminates is no loss: healthy', () => {
    const c = classifyUdpClient(input([...series(0, 35 * S, old), ...series(35 * S, 40.5 * S, fresh)]));
    expect(c).toMatchObject({ outcome: 'healthy', figures: { repliesFromOldAfterSwitch: 50, longestSilenceMs: 500 } });
  });

  test('one late answer from the old backend does not hide the silence after it', () => {
    const attempts = [...series(0, 10.5 * S, old), ...series(10.5 * S, 35 * S, silent), ...series(35 * S, 40.5 * S, fresh)];
    expect(classifyUdpClient(input(attempts))).toMatchObject({ outcome: 'affected', figures: { longestSilenceMs: 25 * S } });
  });

  test('the recovery clock starts when a new backend is Ready, if that is after the old one stopped', () => {
    const late = { ...times, newReadyAt: 20 * S };
    const attempts = [...series(0, 10 * S, old), ...series(10 * S, 21 * S, silent), ...series(21 * S, 40.5 * S, fresh)];
    expect(classifyUdpClient({ ...input(attempts), times: late })).toMatchObject({ outcome: 'healthy', figures: { recoveryMs: 1000 } });
  });

  test('an unconnected socket that is aborted is affected even though it goes on working', () => {
    const attempts = [
      ...series(0, 10 * S, old),
      { t: 10 * S, seq: 20, sock: 1, lport: 0, result: 'error' as const, error: 'recv: Software caused connection abort' },
      ...series(10.5 * S, 40.5 * S, fresh, 2),
    ];
    expect(classifyUdpClient(input(attempts, 'unconnected'))).toMatchObject({ outcome: 'affected', figures: { abortedSockets: 1 } });
  });

  test('other send errors of an unconnected socket (no backend for a moment) do not count as torn down', () => {
    const attempts = [
      ...series(0, 10 * S, old),
      { t: 10 * S, seq: 20, sock: 1, lport: 0, result: 'error' as const, error: 'send: Connection refused' },
      ...series(10.5 * S, 40.5 * S, fresh, 2),
    ];
    expect(classifyUdpClient(input(attempts, 'unconnected')).outcome).toBe('healthy');
  });

  test('inconclusive: no answers before the change, or a log that stops early', () => {
    expect(classifyUdpClient(input(series(0, 40.5 * S, silent))).outcome).toBe('inconclusive');
    const early = classifyUdpClient(input([...series(0, 10 * S, old), ...series(10 * S, 20 * S, fresh)]));
    expect(early).toMatchObject({ outcome: 'inconclusive' });
    expect(early.reason).toMatch(/log ends 21 s before/);
  });
});
