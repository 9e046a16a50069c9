import { KEY_LABEL } from './docker.ts';
import type { Runner } from './run.ts';

/** An image to put into a node's containerd: its local docker tag, and an extra name inside the node. */
export type NodeImport = [local: string, alias: string | undefined];

/** How a kind node starts; `docker commit` must set it again after the build container ran `sleep`. */
const NODE_ENTRYPOINT = '["/usr/local/bin/entrypoint", "/sbin/init"]';

/**
 * kind's way of making a node image that already holds images: run the node
 * filesystem `from` with a plain containerd, import the image archives (content
 * only, unpacked later on the node's /var volume), then commit as `tag`. /var is
 * no volume in the build container, so the content lands in the image.
 */
export async function commitNodeWithImages(
  r: Runner,
  opts: { from: string; tag: string; key: string; images: NodeImport[]; labels?: Record<string, string> },
): Promise<void> {
  const name = `netrepro-nodebuild-${opts.key}`;
  await r.run('docker', ['rm', '-f', name], { allowFailure: true });
  await r.run('docker', ['run', '-d', '--name', name, '--privileged', '--entrypoint=sleep', opts.from, 'infinity']);
  try {
    await r.run('docker', ['exec', name, 'bash', '-c', 'nohup containerd >/tmp/containerd.log 2>&1 &']);
    await r.run('docker', ['exec', name, 'bash', '-c', 'for i in $(seq 1 60); do [ -S /run/containerd/containerd.sock ] && ctr version >/dev/null 2>&1 && exit 0; sleep 0.5; done; cat /tmp/containerd.log; exit 1']);
    for (const [local, alias] of opts.images) {
      await r.sh(`docker save ${local} | docker exec -i ${name} ctr -n k8s.io images import --no-unpack --label io.cri-containerd.pinned=pinned -`);
      if (alias) {
        await r.run('docker', ['exec', name, 'ctr', '-n', 'k8s.io', 'images', 'tag', '--force', `docker.io/${local}`, alias]);
        await r.run('docker', ['exec', name, 'ctr', '-n', 'k8s.io', 'images', 'label', alias, 'io.cri-containerd.pinned=pinned']);
      }
    }
    const { stdout } = await r.run('docker', ['exec', name, 'ctr', '-n', 'k8s.io', 'images', 'list', '-q'], { capture: true });
    for (const [local, alias] of opts.images) {
      for (const want of [`docker.io/${local}`, alias]) if (want && !stdout.split('\n').includes(want)) r.fail(`${want} missing in the node's containerd`);
    }
    // containerd's parent is `sleep` (PID 1), which does not reap: wait until it is gone or a zombie
    await r.run('docker', ['exec', name, 'bash', '-c', 'pkill -x containerd; for i in $(seq 1 60); do ps -o stat= -C containerd | grep -qv Z || exit 0; sleep 0.25; done; exit 1']);
    await r.run('docker', ['exec', name, 'rm', '-rf', '/tmp/containerd.log', '/var/log/apt', '/var/cache/debconf/templates.dat-old']);
    const labels = { ...opts.labels, [KEY_LABEL]: opts.key };
    await r.run('docker', [
      'commit',
      '--change', `ENTRYPOINT ${NODE_ENTRYPOINT}`,
      '--change', 'CMD []',
      ...Object.entries(labels).flatMap(([k, v]) => ['--change', `LABEL ${k}=${v}`]),
      name,
      opts.tag,
    ]);
  } finally {
    await r.run('docker', ['rm', '-f', name], { allowFailure: true });
  }
}
