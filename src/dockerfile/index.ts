/** The Dockerfile model: `parseDockerfile` once per run, then the stages and instructions it gives. */
export * from './model.js';
export { emptyDockerfile, parseAssignments, parseDockerfile, substitute } from './parse.js';
