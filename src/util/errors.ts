/**
 * The error model. A user's mistake is a `UserError`: one line naming the file (and line), shown
 * without a stack, recorded as a value in the report. Anything else is a bug and keeps its stack.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(message);
  }

  /** `file:line: message`, the one line a user sees. */
  toLine(): string {
    if (!this.file) return this.message;
    return `${this.file}${this.line ? `:${this.line}` : ''}: ${this.message}`;
  }
}

/** One line for any thrown value: a `UserError`'s own line, an Error's message, or the value itself. */
export function oneLine(error: unknown): string {
  if (error instanceof UserError) return error.toLine();
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
