import { verboseImageBuild } from '../../config/env.ts';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { execa, type Options } from 'execa';
import { cacheDir } from './cache.ts';

/** Thrown when a command of a step fails; its message is one line. */
export class StepError extends Error {
  constructor(
    readonly step: string,
    readonly command: string,
    readonly exitCode: number | undefined,
    readonly tail: string[],
    readonly logFile: string,
  ) {
    super(
      `step ${step}: \`${command}\` failed` +
        (exitCode === undefined ? '' : ` with exit code ${exitCode}`) +
        (tail.length ? ` — last output: ${tail.join(' ⏎ ')}` : '') +
        ` (full log: ${logFile})`,
    );
  }
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Text written to the command's stdin. */
  input?: string;
  /** Return stdout instead of logging it. Default false. */
  capture?: boolean;
  /** Do not throw on non-zero exit; the caller inspects the result. Default false. */
  allowFailure?: boolean;
  /** Lines of output quoted in the error. Default 8. */
  tailLines?: number;
  /** Milliseconds before the command is killed. Default: none. */
  timeout?: number;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  output: string;
}

/**
 * Runs commands for one step: every command and its output go to
 * logs/<step>.log; NETREPRO_VERBOSE=1 also echoes the output to stderr.
 */
export class Runner {
  readonly logFile: string;
  private readonly log: WriteStream;

  constructor(readonly step: string) {
    this.logFile = join(cacheDir('logs'), `${step}.log`);
    this.log = createWriteStream(this.logFile, { flags: 'a' });
  }

  note(line: string): void {
    this.log.write(`# ${line}\n`);
  }

  async run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
    const shown = [cmd, ...args].join(' ');
    this.log.write(`\n$ ${shown}${opts.cwd ? `   (in ${opts.cwd})` : ''}\n`);
    const execaOpts: Options = {
      cwd: opts.cwd,
      env: opts.env,
      extendEnv: true,
      reject: false,
      all: true,
      maxBuffer: 512 * 1024 * 1024,
      stripFinalNewline: true,
      ...(opts.input !== undefined ? { input: opts.input } : { stdin: 'ignore' as const }),
      ...(opts.timeout ? { timeout: opts.timeout } : {}),
    };
    const sub = execa(cmd, args, execaOpts);
    sub.all?.on('data', (chunk: Buffer) => {
      if (!opts.capture) this.log.write(chunk);
      if (verboseImageBuild()) process.stderr.write(chunk);
    });
    const res = await sub;
    const all = typeof res.all === 'string' ? res.all : '';
    const stdout = typeof res.stdout === 'string' ? res.stdout : '';
    if (opts.capture) this.log.write(all.length > 4000 ? all.slice(-4000) + '\n' : all + '\n');
    const exitCode = res.exitCode ?? (res.failed ? -1 : 0);
    if (exitCode !== 0 || res.failed) {
      this.log.write(`# exit code ${exitCode}${res.timedOut ? ' (timed out)' : ''}\n`);
      if (!opts.allowFailure) {
        const tail: string[] = all.split('\n').filter((l) => l.trim() !== '').slice(-(opts.tailLines ?? 8));
        if (res.failed && res.exitCode === undefined) tail.push(String(res.shortMessage));
        throw new StepError(this.step, shown, res.exitCode, tail, this.logFile);
      }
    }
    return { exitCode, stdout, output: all };
  }

  /** Runs a shell snippet (bash -euo pipefail). */
  sh(script: string, opts: RunOptions = {}): Promise<RunResult> {
    return this.run('bash', ['-euo', 'pipefail', '-c', script], opts);
  }

  fail(what: string): never {
    throw new StepError(this.step, what, undefined, [], this.logFile);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.log.end(resolve));
  }
}
