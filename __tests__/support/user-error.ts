/** The one line a UserError thrown by `fn` shows; fails the test when `fn` does not throw one. */
import { UserError } from '../../src/util/errors.js';

export function userErrorLine(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof UserError) return error.toLine();
    throw error;
  }
  throw new Error('expected a UserError, nothing was thrown');
}
