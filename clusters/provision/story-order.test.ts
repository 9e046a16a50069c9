import { describe, expect, test } from 'vitest';
import { authUrl } from '../../stories/auth-url/story.ts';
import { udpClients } from '../../stories/udp-clients/story.ts';
import { storyRank } from './story-order.ts';

const spec = (project: string, dir: string) => ({ project: { name: project }, moduleId: `${dir}/some.spec.ts` });

describe('spec files run in the order the variant lists its stories', () => {
  test('bpf: auth-url, then udp-clients', () => {
    expect(storyRank(spec('bpf', authUrl.dir))).toBe(0);
    expect(storyRank(spec('bpf', udpClients.dir))).toBe(1);
  });

  test('files of projects that are no variant keep their place', () => {
    expect(storyRank(spec('unit', udpClients.dir))).toBe(0);
  });

  test('a file outside the variant\'s stories goes last', () => {
    expect(storyRank({ project: { name: 'bpf' }, moduleId: '/elsewhere/x.spec.ts' })).toBe(2);
  });
});
