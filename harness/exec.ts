import { basename } from 'node:path';
import { execa, type Options } from 'execa';
import { UserError } from '../config/errors.ts';
import { INSTALL_MS } from './timeouts.ts';

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** How many of a failed command's last output lines its error carries. */
const OUTPUT_TAIL_LINES = 15;
const tail = (text: string, lines = OUTPUT_TAIL_LINES) => text.trim().split('\n').slice(-lines).join('\n');

/** Where each tool netrepro runs comes from, for the "not installed" message. */
const INSTALL_HINT: Record<string, string> = {
  kind: 'npm run images -- toolchain',
  helm: 'npm run images -- toolchain',
  kubectl: 'npm run images -- toolchain',
  docker: 'npm run images -- host (or apt-get install docker.io)',
  go: 'apt-get install golang (Go ≥ the version in pins.json)',
};

/** A command that ran and failed: what ran, how it ended, and the end of its output. */
export class CommandError extends Error {
  override name = 'CommandError';
  constructor(
    readonly command: string,
    readonly why: string,
    readonly output: string,
  ) {
    super(`command failed (${why}): ${command}${output ? `\n${output}` : ''}`);
  }
}

/**
 * The one way netrepro runs a child process: returns its output, and on
 * failure throws a CommandError naming the command, its exit code and the
 * last lines of its output. A missing program is a one-line UserError that
 * says how to install it.
 */
export async function run(file: string, args: readonly string[], options: Options & { timeoutMs?: number } = {}): Promise<RunResult> {
  const { timeoutMs = INSTALL_MS, ...rest } = options;
  const result = await execa(file, args, { reject: false, timeout: timeoutMs, ...rest, encoding: 'utf8' });
  const stdout = String(result.stdout ?? '');
  const stderr = String(result.stderr ?? '');
  if (result.failed) {
    if ((result as { code?: string }).code === 'ENOENT') {
      const tool = basename(file);
      throw new UserError(`${tool} is not installed (${file} not found): run \`${INSTALL_HINT[tool] ?? `apt-get install ${tool}`}\``);
    }
    const why = result.timedOut ? `timed out after ${timeoutMs / 1000} s` : `exit code ${result.exitCode ?? result.signal}`;
    throw new CommandError(`${file} ${args.join(' ')}`, why, tail(`${stdout}\n${stderr}`));
  }
  return { stdout, stderr };
}
