/** Entry of the `image-budget` command (bundled to dist/cli/index.js). */
import { cli } from './main.js';

cli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bug, not a user's mistake: show it whole, once.
    console.error(error instanceof Error ? (error.stack ?? error.message) : `non-Error thrown: ${String(error)}`);
    process.exitCode = 70;
  },
);
