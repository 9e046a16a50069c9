import { execa, type Options } from 'execa';

export interface RunResult {
  stdout: string;
  stderr: string;
}

const tail = (text: string, lines = 15) => text.trim().split('\n').slice(-lines).join('\n');

/**
 * Runs a command and returns its output. On failure the error names the
 * command, its exit code and the last lines of its output.
 */
export async function run(file: string, args: readonly string[], options: Options & { timeoutMs?: number } = {}): Promise<RunResult> {
  const { timeoutMs = 600_000, ...rest } = options;
  const result = await execa(file, args, { reject: false, timeout: timeoutMs, ...rest, encoding: 'utf8' });
  const stdout = String(result.stdout ?? '');
  const stderr = String(result.stderr ?? '');
  if (result.failed) {
    const why = result.timedOut ? `timed out after ${timeoutMs / 1000} s` : `exit code ${result.exitCode ?? result.signal}`;
    const output = tail(`${stdout}\n${stderr}`);
    throw new Error(`command failed (${why}): ${file} ${args.join(' ')}${output ? `\n${output}` : ''}`);
  }
  return { stdout, stderr };
}
