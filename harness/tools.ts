import { LOCAL_QUERY_MS } from './timeouts.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import semver from 'semver';
import { UserError } from '../config/errors.ts';
import { toolBinDir } from '../config/paths.ts';

export type Tool = 'kind' | 'helm' | 'kubectl' | 'docker';

interface ToolSpec {
  versionArgs: string[];
  parse: (out: string) => string | undefined;
  minimum: string;
  install: string;
}

const firstVersion = (out: string) => semver.coerce(out.match(/v?\d+\.\d+\.\d+/)?.[0] ?? '')?.version;

const SPECS: Record<Tool, ToolSpec> = {
  kind: { versionArgs: ['version'], parse: firstVersion, minimum: '0.30.0', install: 'npm run images -- toolchain' },
  helm: { versionArgs: ['version', '--short'], parse: firstVersion, minimum: '3.15.0', install: 'npm run images -- toolchain' },
  kubectl: { versionArgs: ['version', '--client'], parse: firstVersion, minimum: '1.30.0', install: 'npm run images -- toolchain' },
  docker: { versionArgs: ['version', '--format', '{{.Client.Version}}'], parse: firstVersion, minimum: '20.10.0', install: 'apt-get install docker.io (or npm run images -- host)' },
};

/** The tool's path: the project's own build in the cache first, then PATH. */
export function toolPath(tool: Tool): string {
  const built = join(toolBinDir(), tool);
  return existsSync(built) ? built : tool;
}

export async function checkTool(tool: Tool): Promise<string> {
  const spec = SPECS[tool];
  const path = toolPath(tool);
  const result = await execa(path, spec.versionArgs, { reject: false, timeout: LOCAL_QUERY_MS });
  if (result.failed && (result as { code?: string }).code === 'ENOENT') {
    throw new UserError(`${tool} is not installed: run \`${spec.install}\` or put ${tool} ≥ ${spec.minimum} on PATH`);
  }
  const version = spec.parse(`${result.stdout}\n${result.stderr}`);
  if (!version) throw new UserError(`${tool} at ${path} did not report a version: check that it runs (\`${path} ${spec.versionArgs.join(' ')}\`)`);
  if (semver.lt(version, spec.minimum)) {
    throw new UserError(`${tool} ${version} is too old: netrepro needs ≥ ${spec.minimum}; run \`${spec.install}\``);
  }
  return version;
}

export async function checkDockerRunning(): Promise<void> {
  const result = await execa(toolPath('docker'), ['info', '--format', '{{.ServerVersion}}'], { reject: false, timeout: LOCAL_QUERY_MS });
  if (result.failed) {
    throw new UserError('Docker is not running (docker info failed): start it with `npm run images -- host` or `dockerd &`');
  }
}
