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
    return problemLine(this.toProblem());
  }

  /** The mistake as a value for the report. */
  toProblem(): Problem {
    return problem(this.message, this.file, this.line);
  }
}

/**
 * A user's mistake as the report keeps it: what is wrong, and the file (relative to the repository)
 * and 1-based line it is about, where known, so an annotation can point there.
 */
export interface Problem {
  message: string;
  file?: string;
  line?: number;
}

/** A problem with only the fields that are set. */
export function problem(message: string, file?: string, line?: number): Problem {
  return { message, ...(file ? { file } : {}), ...(file && line ? { line } : {}) };
}

/** The one way a problem is written as text: `file:line: message`. */
export function problemLine(p: Problem): string {
  if (!p.file) return p.message;
  return `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`;
}

/** A caught value as a problem: a `UserError`'s own fields, anything else its first line. */
export function problemOf(error: unknown): Problem {
  if (error instanceof UserError) return error.toProblem();
  return problem(oneLine(error));
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
