/** A CliIo that keeps what the CLI prints, for tests that run it in this process. */
import type { CliIo } from '../../src/cli/main.js';

export function captureIo(
  cwd: string,
  env: Record<string, string | undefined> = {},
): CliIo & { out: string; err: string } {
  const result = {
    out: '',
    err: '',
    env,
    cwd,
    stdout: (text: string) => void (result.out += text),
    stderr: (text: string) => void (result.err += text),
  };
  return result;
}
