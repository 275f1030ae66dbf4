import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ComposeModel, ComposeProject } from '../../../src/compose/model.js';
import { planServices } from '../../../src/plan/services.js';
import { problemLine } from '../../../src/util/errors.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'ib-services-'));
  mkdirSync(path.join(root, 'api'));
  writeFileSync(path.join(root, 'api/Dockerfile'), 'FROM scratch\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A project of one service `api` built from api/ with these build secrets, declared on line 2. */
function project(secrets: ComposeModel['secrets'], sources = [{ source: 'token' }]): ComposeProject {
  return {
    model: { services: { api: { build: { context: path.join(root, 'api'), secrets: sources } } }, secrets },
    files: [path.join(root, 'compose.yaml')],
    origins: { api: { file: 'compose.yaml', line: 2 } },
    serviceErrors: {},
    errors: [],
    warnings: [],
    source: 'parser',
  };
}

describe('planServices: build secrets', () => {
  test('a secret with its top-level source becomes the build secret', () => {
    const { services } = planServices({
      root,
      project: project({ token: { environment: 'TOKEN' } }),
      profiles: [],
    });
    expect(services[0]!.error).toBeUndefined();
    expect(services[0]!.build?.secrets).toEqual([{ id: 'token', env: 'TOKEN' }]);
  });

  test.each([
    [{}, 'compose.yaml:2: service "api": build secret "token" is not declared under top-level `secrets:`'],
    [
      { token: {} },
      'compose.yaml:2: service "api": secret "token" needs a `file` or an `environment` source',
    ],
  ])('a mistake is the service error, on its compose line: %j', (secrets, line) => {
    const { services } = planServices({ root, project: project(secrets), profiles: [] });
    expect(services.map((s) => (s.error ? problemLine(s.error) : undefined))).toEqual([line]);
  });

  test('a bug of ours is thrown with its stack, never blamed on the compose file', () => {
    const broken = project({}, [null as unknown as { source: string }]);
    expect(() => planServices({ root, project: broken, profiles: [] })).toThrow(TypeError);
  });
});
