// Output of the stickiness rounds: one line per source port, one [answer] per request from it:
//   40000 [backend-7c9f-abcde 200] [backend-7c9f-fghij 200]
//   40001 [ 000]                       (no answer: curl's code 000, no body)
import { finish, SkipCounter } from '../../harness/parse/result.ts';

const LINE = /^(\d+)((?:\s*\[[^\]]*\])+)\s*$/;
const REQUEST = /\[([^\]]*)\]/g;

/** Port → the backend that answered each request from it ('' where the request got no 200). */
export function parsePortRequests(text: string): Map<number, string[]> {
  const counter = new SkipCounter();
  const rows: Array<[number, string[]]> = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const m = LINE.exec(line.trim());
    if (!m) {
      counter.skip(line);
      continue;
    }
    const answers = [...m[2]!.matchAll(REQUEST)].map((r) => {
      const [backend = '', code = ''] = r[1]!.trim().split(/\s+/);
      return code === '200' ? backend : '';
    });
    rows.push([Number(m[1]), answers]);
  }
  const { records, skipped } = finish('stickiness round output', text, rows, counter);
  if (skipped.count > 0) throw new Error(`stickiness round output: ${skipped.count} line(s) not understood, first: "${skipped.first}"`);
  return new Map(records);
}
