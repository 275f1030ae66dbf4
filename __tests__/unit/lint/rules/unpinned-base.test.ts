import { describe, expect, test } from 'vitest';
import { type Row, keys, lintFiles, spec } from '../helpers.js';

describe('unpinned-base', () => {
  test.each<Row>(
    spec([
      ['untagged base', { Dockerfile: 'FROM debian\n' }, ['1 unpinned-base']],
      [
        'digest-pinned base',
        {
          Dockerfile: 'FROM debian@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n',
        },
        [],
      ],
      ['scratch', { Dockerfile: 'FROM scratch\nCOPY app /app\n', app: 'x' }, []],
    ]),
  )('%s', (_name, files, want) => {
    expect(keys(lintFiles(files))).toEqual(want.sort());
  });
});
