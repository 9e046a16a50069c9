import { describe, expect, test } from 'vitest';
import { inotifyShortfall } from './host-limits.ts';

describe('inotify limits for kind clusters', () => {
  test("Debian's defaults fall short on both limits", () => {
    const debian: Record<string, string> = { '/proc/sys/fs/inotify/max_user_instances': '128\n', '/proc/sys/fs/inotify/max_user_watches': '192536\n' };
    expect(inotifyShortfall((p) => debian[p]!)).toEqual(['fs.inotify.max_user_instances=8192', 'fs.inotify.max_user_watches=1048576']);
  });
  test('raised limits pass', () => {
    expect(inotifyShortfall(() => '2000000')).toEqual([]);
  });
});
