/** The profiles reach the plan from the CLI (`--profile a,b`) and from the Action (`profiles` input). */
import { afterEach, expect, test } from 'vitest';
import { readInputs } from '../../../src/action/inputs.js';
import { parseCli } from '../../../src/cli/args.js';
import { parseRequest } from '../../../src/pipeline/request.js';

afterEach(() => {
  delete process.env.INPUT_PROFILES;
  delete process.env.INPUT_COMPOSE;
});

test('--profile takes a comma separated list; --compose keeps several files for the plan to split', () => {
  const command = parseCli(['check', '--profile', 'dev,ci', '--compose', 'compose.yaml,compose.ci.yaml']);
  expect(command).toMatchObject({ request: { profiles: 'dev,ci', compose: 'compose.yaml,compose.ci.yaml' } });
  expect(command.command === 'check' && parseRequest(command.request)).toMatchObject({
    profiles: ['dev', 'ci'],
    compose: 'compose.yaml,compose.ci.yaml',
  });
  expect(parseCli(['check'])).not.toHaveProperty('request.profiles');
});

test('the profiles input, comma or newline separated', () => {
  process.env.INPUT_PROFILES = 'dev\nci';
  process.env.INPUT_COMPOSE = 'compose.yaml\ncompose.ci.yaml';
  expect(readInputs()).toMatchObject({ profiles: ['dev', 'ci'], compose: 'compose.yaml\ncompose.ci.yaml' });
});
