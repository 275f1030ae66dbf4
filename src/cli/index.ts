/** The `image-budget` command: runs the CLI and sets the exit code. Called by bin/image-budget.js. */
import { cli } from './main.js';

export async function runCli(argv: string[] = process.argv.slice(2)): Promise<void> {
  try {
    process.exitCode = await cli(argv);
  } catch (error) {
    // A bug, not a user's mistake: show it whole, once.
    console.error(
      error instanceof Error ? (error.stack ?? error.message) : `non-Error thrown: ${String(error)}`,
    );
    process.exitCode = 70;
  }
}
