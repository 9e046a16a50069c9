import { isUserError } from '../../config/errors.ts';
import { CommandError } from '../../harness/exec.ts';

/** A known failure of kind, helm or docker: how to spot it in the output, and what fixes it. */
interface KnownFailure {
  match: RegExp;
  fix: string;
}

const KNOWN: readonly KnownFailure[] = [
  { match: /Cannot connect to the Docker daemon|docker\.sock: connect: (no such file|connection refused)/i, fix: 'start Docker: `npm run images -- host` (or `dockerd &`)' },
  { match: /node\(s\) already exist for a cluster with the name/i, fix: 'delete it (`kind delete cluster --name <name>`) or set NETREPRO_RECREATE=1' },
  { match: /failed to pull image|pull access denied|manifest unknown|no such image|image\b.* not (found|present)/i, fix: 'build the local images (`npm run images`), or set NETREPRO_IMAGES=upstream on a machine that reaches the registry' },
  { match: /too many open files|inotify/i, fix: 'raise the host limits in config/host-limits.json (`sudo sysctl -w fs.inotify.max_user_instances=8192 fs.inotify.max_user_watches=1048576`)' },
  { match: /no space left on device/i, fix: 'free disk space (docker system prune, or remove old kind clusters)' },
  { match: /cannot re-use a name that is still in use|another operation \(install\/upgrade\/rollback\) is in progress/i, fix: 'a previous helm release is stuck: delete the cluster (NETREPRO_RECREATE=1) and run again' },
  { match: /Kubernetes cluster unreachable|connection refused.*:6443|the server has asked for the client to provide credentials/i, fix: 'the API server does not answer: check `docker ps` for the kind nodes, or recreate the cluster (NETREPRO_RECREATE=1)' },
  { match: /timed out after/i, fix: 'the machine may be overloaded: run again, or keep the cluster (NETREPRO_KEEP_ON_FAILURE=1) and look at `kubectl get pods -A`' },
];

/** The line of a tool's output that says what went wrong: kind's and helm's `ERROR:`/`Error:` first, else the last line. */
export function causeLine(output: string): string {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /^(ERROR|Error|error)[:\s]/.test(l)) ?? lines.find((l) => /\berror\b/i.test(l)) ?? lines.at(-1) ?? '';
}

/**
 * One line for a failed setup step: the step, the cause in the tool's own
 * words and, for a known failure, the fix. Unknown errors keep their first line.
 */
export function describeSetupFailure(e: unknown, stepName?: string): string {
  const where = stepName ? `${stepName} failed` : 'setup failed';
  if (isUserError(e)) return (e as Error).message;
  if (e instanceof CommandError) {
    const cause = causeLine(e.output) || e.why;
    const known = KNOWN.find((k) => k.match.test(`${e.output}\n${e.why}`));
    return `${where}: ${cause} (${e.command.split(' ').slice(0, 3).join(' ')}: ${e.why})${known ? `; fix: ${known.fix}` : ''}`;
  }
  const message = e instanceof Error ? e.message : String(e);
  const known = KNOWN.find((k) => k.match.test(message));
  return `${where}: ${message.split('\n')[0]}${known ? `; fix: ${known.fix}` : ''}`;
}
