import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseSocketPrograms } from './socket-programs.ts';

const recorded = readFileSync(new URL('./data/bpftool-cgroup-show.json', import.meta.url), 'utf8');

describe('the socket-LB programs an agent attached', () => {
  test('the ids of the cil_sock* programs in recorded bpftool output', () => {
    expect(parseSocketPrograms(recorded)).toEqual([45140, 45141, 45142, 45143, 45144, 45145, 45146, 45147, 45148, 45149, 45150]);
  });

  test('programs of others are left out; nothing attached is an empty list', () => {
    expect(parseSocketPrograms('[{"id":7,"attach_type":"cgroup_inet4_connect","name":"other"}]')).toEqual([]);
    expect(parseSocketPrograms('')).toEqual([]);
  });

  test('output that is not bpftool\'s JSON list is an error, not "none attached"', () => {
    expect(() => parseSocketPrograms('ID AttachType Name')).toThrow(/printed no JSON/);
    expect(() => parseSocketPrograms('{"id":1}')).toThrow(/not a list/);
  });
});
