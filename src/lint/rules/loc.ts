/** Where a word of a command sits: see analysis/loc.ts. */
export { locOfWord } from '../analysis/loc.js';
