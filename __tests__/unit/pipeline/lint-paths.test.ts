import { describe, expect, test } from 'vitest';
import { lintPaths } from '../../../src/pipeline/lint-paths.js';
import { writeRepo } from '../../support/repo.js';

const API = { 'shop/api/Dockerfile': 'FROM python:3.12-slim\n' };

describe('lintPaths on a folder with a compose file', () => {
  test.each([
    [
      'a YAML error',
      'services:\n  api:\n    build: ./api\n  bad:\n    build: [1\n',
      { file: 'shop/compose.yaml', line: 6, message: expect.stringMatching(/^invalid YAML: /) as string },
    ],
    [
      'an extends of a service the file does not define',
      'services:\n  api:\n    build: ./api\n  web:\n    extends: {service: nope}\n',
      {
        file: 'shop/compose.yaml',
        line: 4,
        message: 'service "web" extends "nope", which compose.yaml does not define',
      },
    ],
    [
      'a build context that does not exist',
      'services:\n  api:\n    build: ./api\n  gone:\n    build: ./gone\n',
      { file: 'shop/compose.yaml', line: 4, message: 'service "gone": build context gone does not exist' },
    ],
  ])(
    '%s is a problem naming the compose file from cwd, and its line; the other services are linted',
    (_, compose, problem) => {
      const cwd = writeRepo({ ...API, 'shop/compose.yaml': compose });
      const result = lintPaths(['shop'], cwd);
      expect(result.errors).toEqual([problem]);
      expect(result.files).toEqual(['shop/api/Dockerfile']);
    },
  );

  test('a sound compose file adds no error line', () => {
    const cwd = writeRepo({ ...API, 'shop/compose.yaml': 'services:\n  api:\n    build: ./api\n' });
    expect(lintPaths(['shop'], cwd)).toEqual({ findings: [], files: ['shop/api/Dockerfile'], errors: [] });
  });

  test('a path that is not there, and a config mistake, are problems naming their file (and line)', () => {
    const cwd = writeRepo({
      ...API,
      'shop/compose.yaml': 'services:\n  api:\n    build: ./api\n',
      '.github/image-budget.yml': 'lint:\n  rules:\n    cuda-torch: loud\n',
    });
    const result = lintPaths(['shop', 'missing'], cwd);
    expect(result.errors).toEqual([
      expect.objectContaining({ file: '.github/image-budget.yml', line: 3 }),
      { file: 'missing', message: 'no such file or folder' },
    ]);
  });

  test('a folder without a compose file is no error: its Dockerfiles are linted with their own folder', () => {
    const cwd = writeRepo(API);
    expect(lintPaths(['shop'], cwd)).toEqual({ findings: [], files: ['shop/api/Dockerfile'], errors: [] });
  });
});
