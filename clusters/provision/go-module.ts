import { goEnv } from '../../config/go-env.ts';
import { run } from '../../harness/exec.ts';

/** A chart module is tens of MB; the proxy can be slow. */
const GO_DOWNLOAD_TIMEOUT_MS = 15 * 60_000;

const dirs = new Map<string, Promise<string>>();

/**
 * Where the Go module cache holds `module@version` (downloading it if needed):
 * the charts of Cilium, MetalLB and ingress-nginx ship inside their modules, so
 * local-image mode needs no chart repository. Asked once per process: every
 * test that installs a chart would otherwise start `go` again.
 */
export function goModuleDir(module: string, version: string): Promise<string> {
  const id = `${module}@${version}`;
  let dir = dirs.get(id);
  if (!dir) {
    dir = lookUp(id);
    dirs.set(id, dir);
    dir.catch(() => dirs.delete(id));
  }
  return dir;
}

async function lookUp(id: string): Promise<string> {
  const { stdout } = await run('go', ['mod', 'download', '-json', id], { timeoutMs: GO_DOWNLOAD_TIMEOUT_MS, env: goEnv() });
  const dir = (JSON.parse(stdout) as { Dir?: string }).Dir;
  if (!dir) throw new Error(`go mod download gave no directory for ${id}`);
  return dir;
}
