import { describe, expect, test } from 'vitest';
import { buildCommand } from '../../../src/build/argv.js';
import type { Builder } from '../../../src/build/builder.js';
import type { BuildSpec } from '../../../src/plan/model.js';

const buildx: Builder = { kind: 'buildx', version: 'v0.19.3', serverVersion: '27.5.1', driver: 'docker' };
const named: Builder = { ...buildx, driver: 'docker-container', name: 'image-budget' };
const legacy: Builder = { kind: 'docker', version: '20.10.24', serverVersion: '20.10.24' };
const spec: BuildSpec = { context: '/repo/api', dockerfile: '/repo/api/Dockerfile', args: {} };
const base = { tag: 'image-budget/api:abc', iidFile: '/tmp/api.iid' };

describe('buildCommand', () => {
  test.each([
    [
      1,
      'buildx, plain',
      buildx,
      spec,
      base,
      [
        'buildx',
        'build',
        '--progress=plain',
        '--tag',
        'image-budget/api:abc',
        '--iidfile',
        '/tmp/api.iid',
        '--load',
        '--file',
        '/repo/api/Dockerfile',
        '/repo/api',
      ],
      {},
    ],
    [
      2,
      'docker with built-in BuildKit',
      legacy,
      spec,
      base,
      [
        'build',
        '--progress=plain',
        '--tag',
        'image-budget/api:abc',
        '--iidfile',
        '/tmp/api.iid',
        '--file',
        '/repo/api/Dockerfile',
        '/repo/api',
      ],
      { DOCKER_BUILDKIT: '1' },
    ],
    [
      3,
      'target, args, network from the service',
      legacy,
      { ...spec, target: 'runtime', args: { PY: '3.11', EMPTY: '' }, network: 'none' },
      base,
      [
        'build',
        '--progress=plain',
        '--tag',
        'image-budget/api:abc',
        '--iidfile',
        '/tmp/api.iid',
        '--file',
        '/repo/api/Dockerfile',
        '--target',
        'runtime',
        '--build-arg',
        'PY=3.11',
        '--build-arg',
        'EMPTY=',
        '--network',
        'none',
        '/repo/api',
      ],
      { DOCKER_BUILDKIT: '1' },
    ],
    [
      4,
      'the run network overrides the service network; cache args before the context',
      buildx,
      { ...spec, network: 'none' },
      { ...base, network: 'host', cacheArgs: ['--cache-from', 'type=gha,scope=x'] },
      [
        'buildx',
        'build',
        '--progress=plain',
        '--tag',
        'image-budget/api:abc',
        '--iidfile',
        '/tmp/api.iid',
        '--load',
        '--file',
        '/repo/api/Dockerfile',
        '--network',
        'host',
        '--cache-from',
        'type=gha,scope=x',
        '/repo/api',
      ],
      {},
    ],
    [
      5,
      'a named builder',
      named,
      spec,
      base,
      [
        'buildx',
        'build',
        '--builder',
        'image-budget',
        '--progress=plain',
        '--tag',
        'image-budget/api:abc',
        '--iidfile',
        '/tmp/api.iid',
        '--load',
        '--file',
        '/repo/api/Dockerfile',
        '/repo/api',
      ],
      {},
    ],
  ])('%i: %s', (_n, _title, builder, buildSpec, options, args, env) => {
    const command = buildCommand(builder, buildSpec, options);
    expect(command.args).toEqual(args);
    expect(command.env).toEqual(env);
    expect(command.input).toBeUndefined();
  });

  test('an inline Dockerfile goes through stdin', () => {
    const command = buildCommand(
      legacy,
      { context: '/repo', dockerfileInline: 'FROM scratch\n', args: {} },
      base,
    );
    expect(command.args).toContain('-');
    expect(command.args.slice(-3)).toEqual(['--file', '-', '/repo']);
    expect(command.input).toBe('FROM scratch\n');
  });
});
