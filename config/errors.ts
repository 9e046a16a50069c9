/**
 * A problem the user can fix (bad input, missing tool, docker down). Setup code
 * prints its message as one line and exits non-zero instead of a stack trace.
 */
export class UserError extends Error {
  override name = 'UserError';
  constructor(message: string) {
    super(message);
    this.stack = `${this.name}: ${message}`;
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError || (e instanceof Error && e.name === 'UserError');
}
