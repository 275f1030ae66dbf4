/**
 * From a parsed Dockerfile to the facts the rules judge. The work is split along its seams:
 * analysis/facts.ts (the types), walker.ts (the stages, in order), collect.ts (commands of a RUN),
 * python-installs.ts, scripts.ts and downloads.ts (model downloads), branches.ts (build-arg `if`s).
 */
export type * from './analysis/facts.js';
export { analyze } from './analysis/walker.js';
export { isPython } from './analysis/tools.js';
