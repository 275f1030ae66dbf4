/**
 * The Action's inputs: every INPUT_* variable that action.yml declares, read with @actions/core and
 * checked once by `parseRequest` (the same function the CLI's flags go through). A bad value is one
 * UserError line naming the input.
 */
import * as core from '@actions/core';
import { INPUT_NAMES, inputLabel, parseRequest, type RawRequest, type Request } from '../pipeline/request.js';

export function readInputs(): Request {
  const raw: RawRequest = {};
  for (const name of INPUT_NAMES) raw[name] = core.getInput(name);
  // Masked before anything can fail and print it.
  if (raw['github-token']) core.setSecret(raw['github-token']);
  return parseRequest(raw, inputLabel);
}
