import { run } from './exec.ts';

/**
 * Where the Go module cache holds `module@version` (downloading it if needed):
 * the charts of Cilium, MetalLB and ingress-nginx ship inside their modules, so
 * local-image mode needs no chart repository.
 */
export async function goModuleDir(module: string, version: string): Promise<string> {
  const { stdout } = await run('go', ['mod', 'download', '-json', `${module}@${version}`], { timeoutMs: 900_000 });
  const dir = (JSON.parse(stdout) as { Dir?: string }).Dir;
  if (!dir) throw new Error(`go mod download gave no directory for ${module}@${version}`);
  return dir;
}
