import { describe, expect, test } from 'vitest';
import { nginxWorkers, reloadInForce } from './nginx-reload.ts';
import { recordedBeside } from '../../harness/recorded.ts';

const recorded = recordedBeside(import.meta.url);
const before = nginxWorkers(recorded('proc-cmdline-nginx-before-reload.txt'));
const after = nginxWorkers(recorded('proc-cmdline-nginx-after-reload.txt'));

describe('nginxWorkers', () => {
  test('recorded before the reload: workers 8 and 9 accept', () => {
    expect(before).toEqual([{ pid: 8, accepting: true }, { pid: 9, accepting: true }]);
  });

  test('recorded after it: new workers accept, old ones holding requests are shutting down', () => {
    expect(after).toEqual([
      { pid: 39, accepting: true }, { pid: 40, accepting: true },
      { pid: 8, accepting: false }, { pid: 9, accepting: false },
    ]);
  });

  test('a listing without workers is an error that shows it', () => {
    expect(() => nginxWorkers('1 sleep 20\n')).toThrow(/no "nginx: worker process" in the process listing:\n1 sleep 20/);
  });
});

describe('reloadInForce', () => {
  test('recorded: in force once the old workers shut down and new ones accept', () => {
    expect(reloadInForce(before, after)).toBe(true);
  });

  test('not while an old worker still accepts, nor before any new one does', () => {
    expect(reloadInForce(before, before)).toBe(false);
    expect(reloadInForce(before, [{ pid: 8, accepting: true }, { pid: 39, accepting: true }])).toBe(false);
    expect(reloadInForce(before, [{ pid: 8, accepting: false }, { pid: 9, accepting: false }])).toBe(false);
  });
});
