import { describe, expect, test } from 'vitest';
import { composeConfigArgs, composeError } from '../../../src/plan/compose-v2.js';
import { fromComposeJson } from '../../../src/compose/model.js';
import { problemLine } from '../../../src/util/errors.js';

describe('composeConfigArgs', () => {
  test('the same files in order, the project directory, env files, every profile', () => {
    expect(
      composeConfigArgs({ root: '/r', files: ['/r/a.yml', '/r/ci/b.yml'], envFiles: ['/r/ci.env'] }),
    ).toEqual([
      'compose',
      '-f',
      '/r/a.yml',
      '-f',
      '/r/ci/b.yml',
      '--project-directory',
      '/r',
      '--env-file',
      '/r/ci.env',
      '--profile',
      '*',
      'config',
      '--format',
      'json',
    ]);
  });
});

describe('composeError: one line naming the file', () => {
  test.each([
    [
      'a message naming the file keeps it, relative',
      'open /r/compose.ci.yaml: no such file or directory\n',
      'compose.ci.yaml: file not found',
    ],
    [
      'a message naming no file gets the files',
      'time="x" level=warning msg="y"\nyaml: line 3: did not find expected key\n',
      'compose.yaml, compose.override.yaml: yaml: line 3: did not find expected key',
    ],
    ['nothing said', '', 'compose.yaml, compose.override.yaml: docker compose config failed'],
  ])('%s', (_name, stderr, line) => {
    expect(problemLine(composeError(stderr, '/r', ['compose.yaml', 'compose.override.yaml']))).toBe(line);
  });
});

describe('fromComposeJson', () => {
  test('reads what a build needs, $$ back to $, unknown keys ignored', () => {
    expect(
      fromComposeJson({
        name: 'p',
        networks: { default: {} },
        services: {
          api: {
            profiles: ['dev'],
            command: null,
            build: {
              context: '/r/api',
              args: { L: '$$HOME' },
              shm_size: '1024',
              pull: true,
              secrets: [{ source: 's' }],
            },
          },
        },
        secrets: { s: { name: 'p_s', file: '/r/s.txt' } },
      }),
    ).toEqual({
      name: 'p',
      services: {
        api: {
          profiles: ['dev'],
          build: {
            context: '/r/api',
            args: { L: '$HOME' },
            shm_size: '1024',
            pull: true,
            secrets: [{ source: 's' }],
          },
        },
      },
      secrets: { s: { file: '/r/s.txt' } },
    });
  });
});
