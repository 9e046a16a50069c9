import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../config/errors.ts';

/**
 * node:util's parseArgs in strict mode for our CLIs: an unknown flag or a
 * missing value is a one-line UserError that points at the CLI's --help.
 */
export function parseCliArgs<const O extends NonNullable<ParseArgsConfig['options']>>(argv: readonly string[], options: O, helpCommand: string) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    const { code, message } = e as Error & { code?: string };
    const flag = /'(-[^' ]+)/.exec(message)?.[1] ?? '';
    const what =
      code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? `unknown argument "${flag}"`
      : code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && /argument missing/.test(message) ? `${flag} needs a value`
      : message.split('\n')[0]!;
    throw new UserError(`${what} (${helpCommand} --help)`);
  }
}
