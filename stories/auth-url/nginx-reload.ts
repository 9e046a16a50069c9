// `nginx -s reload`, and a wait until it is in force: every worker that accepted connections
// before it has stopped accepting. A request that reaches an old worker still meets its stale
// resolver socket and waits out the resolver timeout, so the probe after the reload starts only then.
import type { Kube } from '../../harness/kube.ts';
import { until } from '../../harness/wait/index.ts';
import { ROUTE_READY_MS } from '../../harness/timeouts.ts';

/** Every process's command line, NULs as spaces: nginx writes its workers' state there. */
const LIST_PROCESSES = 'for d in /proc/[0-9]*; do [ -r "$d/cmdline" ] || continue; printf "%s " "${d#/proc/}"; tr "\\0" " " < "$d/cmdline"; echo; done';
const WORKER = /^(\d+) nginx: worker process(?<leaving> is shutting down)?\s*$/;
/** A reload takes effect within a second or so; a listing costs one short exec. */
const RELOAD_POLL_MS = 250;

export interface NginxWorker { pid: number; accepting: boolean }

/** The nginx workers in a process listing; a listing without any is an error (nginx is not running, or the format changed). */
export function nginxWorkers(listing: string): NginxWorker[] {
  const workers = listing.split('\n').flatMap((line) => {
    const m = WORKER.exec(line.trim());
    return m ? [{ pid: Number(m[1]), accepting: m.groups?.leaving === undefined }] : [];
  });
  if (workers.length === 0) throw new Error(`no "nginx: worker process" in the process listing:\n${listing}`);
  return workers;
}

/** True once none of `before`'s accepting workers accepts any more and a new one does. */
export function reloadInForce(before: readonly NginxWorker[], now: readonly NginxWorker[]): boolean {
  const old = new Set(before.filter((w) => w.accepting).map((w) => w.pid));
  const accepting = now.filter((w) => w.accepting);
  return accepting.length > 0 && accepting.every((w) => !old.has(w.pid));
}

export interface NginxPod { namespace: string; name: string; container: string }

/** Sends the reload and waits until it is in force; returns how long that took after the command returned. */
export async function reloadNginx(kube: Kube, pod: NginxPod, reloadCommand: string[]): Promise<number> {
  const workers = async () => nginxWorkers(await kube.exec(pod.namespace, pod.name, pod.container, ['sh', '-c', LIST_PROCESSES]));
  const before = await workers();
  await kube.exec(pod.namespace, pod.name, pod.container, reloadCommand);
  const sent = performance.now();
  await until(`nginx in ${pod.namespace}/${pod.name} to replace its workers after the reload`, async () => (reloadInForce(before, await workers()) ? true : undefined), {
    timeoutMs: ROUTE_READY_MS,
    intervalMs: RELOAD_POLL_MS,
  });
  return performance.now() - sent;
}
