import { describe, expect, test } from 'vitest';
import { buildCommand, unbuildablePlatforms, unsupportedOptions } from '../../../src/build/argv.js';
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

  /** The flags a build option adds, between the fixed head and the context. */
  const flagsOf = (extra: Partial<BuildSpec>, builder: Builder = buildx): string[] => {
    const command = buildCommand(
      builder,
      { ...spec, ...extra },
      { ...base, serviceTag: (s) => `ib/${s}:abc` },
    );
    const head = builder.kind === 'buildx' ? 10 : 8;
    return command.args.slice(head, -1);
  };

  test.each<[string, Partial<BuildSpec>, string[]]>([
    ['target', { target: 'dev' }, ['--target', 'dev']],
    ['args', { args: { A: '1', B: 'x=y' } }, ['--build-arg', 'A=1', '--build-arg', 'B=x=y']],
    [
      'additional contexts: a path, an image, another service',
      {
        additionalContexts: {
          shared: '/repo/shared',
          alpine: 'docker-image://alpine:3',
          base: 'service:base',
        },
      },
      [
        '--build-context',
        'shared=/repo/shared',
        '--build-context',
        'alpine=docker-image://alpine:3',
        '--build-context',
        'base=docker-image://ib/base:abc',
      ],
    ],
    [
      'secrets from a file and from the environment (a name, never a value)',
      {
        secrets: [
          { id: 'npmrc', file: '/repo/.npmrc' },
          { id: 'gh_token', env: 'GH_TOKEN' },
        ],
      },
      ['--secret', 'id=npmrc,src=/repo/.npmrc', '--secret', 'id=gh_token,env=GH_TOKEN'],
    ],
    [
      'ssh',
      { ssh: ['default', 'work=/home/u/.ssh/id'] },
      ['--ssh', 'default', '--ssh', 'work=/home/u/.ssh/id'],
    ],
    ['network', { network: 'host' }, ['--network', 'host']],
    ['platforms', { platforms: ['linux/amd64', 'linux/arm64'] }, ['--platform', 'linux/amd64,linux/arm64']],
    ['labels', { labels: { team: 'core' } }, ['--label', 'team=core']],
    ['shm_size in bytes', { shmSize: '2147483648' }, ['--shm-size', '2147483648']],
    [
      'extra_hosts',
      { extraHosts: ['cache=10.0.0.6', 'v6=::1'] },
      ['--add-host', 'cache:10.0.0.6', '--add-host', 'v6:::1'],
    ],
    ['pull and no_cache', { pull: true, noCache: true }, ['--pull', '--no-cache']],
    ['pull: false adds nothing', { pull: false, noCache: false }, []],
    [
      "compose's cache_from/cache_to come before the cache step's own",
      { cacheFrom: ['type=registry,ref=x:cache'], cacheTo: ['type=inline'] },
      ['--cache-from', 'type=registry,ref=x:cache', '--cache-to', 'type=inline'],
    ],
  ])('%s', (_name, extra, flags) => {
    expect(flagsOf(extra)).toEqual(flags);
  });

  test("the cache step's arguments follow compose's cache_from", () => {
    const command = buildCommand(
      buildx,
      { ...spec, cacheFrom: ['a'] },
      { ...base, cacheArgs: ['--cache-from', 'b'] },
    );
    expect(command.args.slice(-5)).toEqual(['--cache-from', 'a', '--cache-from', 'b', '/repo/api']);
  });

  test('docker build (no buildx) gets no cache_to; what it cannot build is one line', () => {
    expect(flagsOf({ cacheTo: ['type=inline'] }, legacy)).toEqual([]);
    expect(unsupportedOptions(buildx, { ...spec, additionalContexts: { a: '/x' } })).toBeUndefined();
    expect(unsupportedOptions(legacy, spec)).toBeUndefined();
    expect(
      unsupportedOptions(legacy, {
        ...spec,
        additionalContexts: { a: '/x' },
        platforms: ['linux/amd64', 'linux/arm64'],
      }),
    ).toBe('additional_contexts, several platforms need buildx; `docker build` 20.10.24 cannot build them');
  });

  test.each<[string[] | undefined, string[], string | undefined]>([
    [undefined, ['linux/amd64'], undefined],
    [['linux/amd64'], ['linux/amd64', 'linux/386'], undefined],
    [['linux/arm64'], ['linux/arm64/v8'], undefined],
    [
      ['linux/amd64', 'linux/s390x'],
      ['linux/amd64', 'linux/386'],
      'platform linux/s390x cannot be built by this engine (it builds linux/amd64, linux/386)',
    ],
  ])('platforms %j on an engine that builds %j', (platforms, engine, message) => {
    expect(unbuildablePlatforms({ ...spec, ...(platforms ? { platforms } : {}) }, engine)).toBe(message);
  });
});
