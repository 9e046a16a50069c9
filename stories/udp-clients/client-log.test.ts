import { describe, expect, test } from 'vitest';
import { recordedBeside } from '../../harness/recorded.ts';
import { UnrecognisedInput } from '../../harness/parse/result.ts';
import { parseClientLog, parseFillerLog } from './client-log.ts';

const recorded = recordedBeside(import.meta.url);

describe('parseClientLog', () => {
  test('answers from one socket (recorded on loopback)', () => {
    const { records, skipped } = parseClientLog(recorded('client-log-connected-loopback.txt'));
    expect(skipped.count).toBe(0);
    expect(records.map((a) => [a.seq, a.sock, a.result, a.reply])).toEqual([[1, 1, 'reply', 'server-a'], [2, 1, 'reply', 'server-a'], [3, 1, 'reply', 'server-a'], [4, 1, 'reply', 'server-a']]);
    expect(new Set(records.map((a) => a.lport)).size).toBe(1);
  });

  test('an ICMP port-unreachable is "refused" and the socket is kept (recorded: closed port)', () => {
    const { records } = parseClientLog(recorded('client-log-refused-loopback.txt'));
    expect(records.map((a) => [a.sock, a.result, a.error])).toEqual([[1, 'refused', 'recv: Connection refused'], [1, 'refused', 'recv: Connection refused']]);
    expect(records[0]!.lport).toBe(records[1]!.lport);
  });

  test('kubectl noise between lines is counted; a log of noise only is an error', () => {
    const log = `${recorded('client-log-connected-loopback.txt')}Error from server: container not found\n`;
    expect(parseClientLog(log).skipped).toEqual({ count: 1, first: 'Error from server: container not found' });
    expect(() => parseClientLog('perl: not found\n')).toThrow(UnrecognisedInput);
    // A JSON line that is not an attempt (built here: a reply without its text) is not taken as one.
    expect(() => parseClientLog('{"t":1,"seq":1,"sock":1,"lport":1,"result":"reply"}\n')).toThrow(UnrecognisedInput);
  });
});

describe('parseFillerLog', () => {
  test('the summary line (recorded), and the lines of several processes added up', () => {
    const one = recorded('filler-log-loopback.txt');
    expect(parseFillerLog(one)).toEqual({ filled: 3000, failed: 0, processes: 1 });
    expect(parseFillerLog(`${one}\n${one}`)).toEqual({ filled: 6000, failed: 0, processes: 2 });
  });
  test('no summary is an error that quotes the log', () => {
    expect(() => parseFillerLog('Can\'t locate Socket.pm\n')).toThrow(/no \{"filled"/);
  });
});
