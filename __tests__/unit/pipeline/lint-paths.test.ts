import { describe, expect, test } from 'vitest';
import { lintPaths } from '../../../src/pipeline/lint-paths.js';
import { writeRepo } from '../../support/repo.js';

const API = { 'shop/api/Dockerfile': 'FROM python:3.12-slim\n' };

describe('lintPaths on a folder with a compose file', () => {
  test.each([
    [
      'a YAML error',
      'services:\n  api:\n    build: ./api\n  bad:\n    build: [1\n',
      /^shop\/compose\.yaml:6: invalid YAML: /,
    ],
    [
      'an extends of a service the file does not define',
      'services:\n  api:\n    build: ./api\n  web:\n    extends: {service: nope}\n',
      /^shop\/compose\.yaml:4: service "web" extends "nope", which compose\.yaml does not define$/,
    ],
    [
      'a build context that does not exist',
      'services:\n  api:\n    build: ./api\n  gone:\n    build: ./gone\n',
      /^shop\/compose\.yaml:4: service "gone": build context gone does not exist$/,
    ],
  ])(
    '%s is an error line naming the compose file from cwd; the other services are linted',
    (_, compose, line) => {
      const cwd = writeRepo({ ...API, 'shop/compose.yaml': compose });
      const result = lintPaths(['shop'], cwd);
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatch(line);
      expect(result.files).toEqual(['shop/api/Dockerfile']);
    },
  );

  test('a sound compose file adds no error line', () => {
    const cwd = writeRepo({ ...API, 'shop/compose.yaml': 'services:\n  api:\n    build: ./api\n' });
    expect(lintPaths(['shop'], cwd)).toEqual({ findings: [], files: ['shop/api/Dockerfile'], errors: [] });
  });
});
