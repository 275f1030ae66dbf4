import { describe, expect, test } from 'vitest';
import {
  cacheArgs,
  isRemoteRef,
  previousTag,
  registryRefFor,
  splitRef,
  type CacheArgsInput,
} from '../../../src/cache/args.js';

const base = {
  service: 'backend',
  tag: 'image-budget/backend:abc1234',
  scopePrefix: 'image-budget',
} as const;

describe('cacheArgs', () => {
  test.each<[number, Partial<CacheArgsInput> & Pick<CacheArgsInput, 'backend'>, string[]]>([
    [
      1,
      { backend: 'gha' },
      [
        '--cache-from',
        'type=gha,scope=image-budget-backend',
        '--cache-to',
        'type=gha,scope=image-budget-backend,mode=max,ignore-error=true',
      ],
    ],
    [
      2,
      { backend: 'gha', scopePrefix: 'pr 12/x', service: 'rag' },
      [
        '--cache-from',
        'type=gha,scope=pr-12-x-rag',
        '--cache-to',
        'type=gha,scope=pr-12-x-rag,mode=max,ignore-error=true',
      ],
    ],
    [
      3,
      { backend: 'local', local: { from: '/c/backend', to: '/c/backend.new' } },
      [
        '--cache-from',
        'type=local,src=/c/backend',
        '--cache-to',
        'type=local,dest=/c/backend.new,mode=max,ignore-error=true',
      ],
    ],
    [
      4,
      { backend: 'local', local: { to: '/c/backend.new' } },
      ['--cache-to', 'type=local,dest=/c/backend.new,mode=max,ignore-error=true'],
    ],
    [5, { backend: 'local' }, []],
    [
      6,
      { backend: 'registry', registryRef: 'ghcr.io/acme/cache' },
      [
        '--cache-from',
        'type=registry,ref=ghcr.io/acme/cache:image-budget-backend',
        '--cache-to',
        'type=registry,ref=ghcr.io/acme/cache:image-budget-backend,mode=max,ignore-error=true',
      ],
    ],
    [
      7,
      { backend: 'registry', registryRef: 'ghcr.io/acme/cache:main' },
      [
        '--cache-from',
        'type=registry,ref=ghcr.io/acme/cache:main-backend',
        '--cache-to',
        'type=registry,ref=ghcr.io/acme/cache:main-backend,mode=max,ignore-error=true',
      ],
    ],
    [
      8,
      { backend: 'registry', registryRef: 'localhost:5000/{service}-cache' },
      [
        '--cache-from',
        'type=registry,ref=localhost:5000/backend-cache',
        '--cache-to',
        'type=registry,ref=localhost:5000/backend-cache,mode=max,ignore-error=true',
      ],
    ],
    [9, { backend: 'registry' }, []],
    [
      10,
      { backend: 'inline', inlineFrom: 'image-budget/backend:image-budget-backend-cache' },
      [
        '--build-arg',
        'BUILDKIT_INLINE_CACHE=1',
        '--cache-from',
        'image-budget/backend:image-budget-backend-cache',
      ],
    ],
    [11, { backend: 'inline' }, ['--build-arg', 'BUILDKIT_INLINE_CACHE=1']],
    [12, { backend: 'none' }, []],
  ])('%i: %j', (_n, input, expected) => {
    expect(cacheArgs({ ...base, ...input })).toEqual(expected);
  });
});

describe('refs', () => {
  test.each([
    [
      1,
      'image-budget/backend:abc',
      'image-budget',
      'backend',
      'image-budget/backend:image-budget-backend-cache',
    ],
    [2, 'localhost:5000/app/backend:abc', 'ci', 'backend', 'localhost:5000/app/backend:ci-backend-cache'],
    [3, 'backend', 'image-budget', 'Backend_1', 'backend:image-budget-backend_1-cache'],
  ])('%i: previousTag(%s, %s, %s) = %s', (_n, tag, prefix, service, expected) => {
    expect(previousTag(tag, prefix, service)).toBe(expected);
  });

  test.each([
    [1, 'ghcr.io/acme/cache', 'p', 'Web.App', 'ghcr.io/acme/cache:p-web.app'],
    [2, 'registry:5000/cache', 'p', 'api', 'registry:5000/cache:p-api'],
    [3, 'registry:5000/cache:v1', 'p', 'api', 'registry:5000/cache:v1-api'],
  ])('%i: registryRefFor(%s, %s, %s) = %s', (_n, ref, prefix, service, expected) => {
    expect(registryRefFor(ref, prefix, service)).toBe(expected);
  });

  test.each([
    [1, 'image-budget/backend:x', false],
    [2, 'ghcr.io/acme/backend:x', true],
    [3, 'localhost/backend', true],
    [4, 'localhost:5000/backend', true],
    [5, 'backend:x', false],
  ])('%i: isRemoteRef(%s) = %s', (_n, ref, expected) => {
    expect(isRemoteRef(ref)).toBe(expected);
  });

  test.each([
    [1, 'a/b:c', { repository: 'a/b', tag: 'c' }],
    [2, 'host:5000/a', { repository: 'host:5000/a' }],
    [3, 'host:5000/a:t@sha256:00', { repository: 'host:5000/a', tag: 't' }],
  ])('%i: splitRef(%s)', (_n, ref, expected) => {
    expect(splitRef(ref)).toEqual(expected);
  });
});
