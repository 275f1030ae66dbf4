/**
 * The one bundle (dist/index.js). Run by the Actions runner (`node dist/index.js`) it runs the Action;
 * imported by bin/image-budget.js it only hands over the CLI.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { run } from './main.js';

export { runCli } from './cli/index.js';

if (isMainModule()) void run();

function isMainModule(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}
