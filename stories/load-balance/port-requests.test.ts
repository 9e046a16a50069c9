import { describe, expect, test } from 'vitest';
import { parsePortRequests } from './port-requests.ts';
import { UnrecognisedInput } from '../../harness/parse/result.ts';

// Lines built here in the shape the round's shell loop prints (printf ' [%s]' around curl -w ' %{http_code}').
describe('parsePortRequests', () => {
  test('answers per port, a failed request as an empty backend', () => {
    const out = '40000 [backend-a 200] [backend-a 200]\n40001 [ 000] [backend-b 200]\n40002 [backend-c 503]\n';
    expect([...parsePortRequests(out)]).toEqual([[40000, ['backend-a', 'backend-a']], [40001, ['', 'backend-b']], [40002, ['']]]);
  });
  test('a line it cannot read is an error, not a missing port', () => {
    expect(() => parsePortRequests('40000 [backend-a 200]\nsh: curl: not found\n')).toThrow(/1 line\(s\) not understood, first: "sh: curl: not found"/);
    expect(() => parsePortRequests('sh: curl: not found\n')).toThrow(UnrecognisedInput);
  });
});
