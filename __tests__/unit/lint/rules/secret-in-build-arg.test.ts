import { describe, expect, test } from 'vitest';
import { type Row, S, keys, lintFiles, spec } from '../helpers.js';

describe('secret-in-build-arg', () => {
  test.each<Row>(
    spec([
      ['GITHUB_TOKEN arg', { Dockerfile: `${S}ARG GITHUB_TOKEN\n` }, ['2 secret-in-build-arg']],
      ['legacy ENV form', { Dockerfile: `${S}ENV AWS_SECRET_ACCESS_KEY abc\n` }, ['2 secret-in-build-arg']],
      ['empty ENV placeholder', { Dockerfile: `${S}ENV OPENAI_API_KEY=""\n` }, []],
    ]),
  )('%s', (_name, files, want) => {
    expect(keys(lintFiles(files))).toEqual(want.sort());
  });
});
