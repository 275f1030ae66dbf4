/**
 * The one bundle (dist/index.js). Run by the Actions runner (`node dist/index.js`) it runs the Action;
 * imported by bin/image-budget.js it only hands over the CLI.
 */
import { runWhenEntry } from './action/main.js';

export { runCli } from './cli/index.js';
void runWhenEntry(import.meta.url);
