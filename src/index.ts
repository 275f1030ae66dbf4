/** Entry of the GitHub Action (bundled to dist/index.js). */
import { run } from './main.js';

void run();
