import { describe, expect, test } from 'vitest';
import { type Row, keys, lintFiles, spec } from '../helpers.js';

describe('full-python-base', () => {
  test.each<Row>(
    spec([
      ['python:3.12-bookworm final', { Dockerfile: 'FROM python:3.12-bookworm\n' }, ['1 full-python-base']],
      ['python via ARG', { Dockerfile: 'ARG PY=3.11\nFROM python:${PY}\n' }, ['2 full-python-base']],
      ['python slim via ARG', { Dockerfile: 'ARG PY=3.11\nFROM python:${PY}-slim\n' }, []],
      [
        'docker.io/library/python',
        { Dockerfile: 'FROM docker.io/library/python:3.11\n' },
        ['1 full-python-base'],
      ],
      ['alpine python is not pushed nor flagged', { Dockerfile: 'FROM python:3.11-alpine\n' }, []],
    ]),
  )('%s', (_name, files, want) => {
    expect(keys(lintFiles(files))).toEqual(want.sort());
  });
});
