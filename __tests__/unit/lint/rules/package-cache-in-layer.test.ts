import { describe, expect, test } from 'vitest';
import { type Row, S, keys, lintFiles, spec } from '../helpers.js';

describe('package-cache-in-layer', () => {
  test.each<Row>(
    spec([
      [
        'pip takes `--no-cache` for `--no-cache-dir`',
        { Dockerfile: `${S}RUN pip install --no-cache flask\n` },
        [],
      ],
      [
        'uv takes `--no-cache-dir` as an alias',
        { Dockerfile: `${S}RUN uv pip install --system --no-cache-dir flask\n` },
        [],
      ],
      [
        'a quoted cache-mount target',
        { Dockerfile: `${S}RUN --mount=type=cache,target="/root/.cache/pip" pip install flask\n` },
        [],
      ],
      [
        '`--no-c` is ambiguous (`--no-color`): not taken',
        { Dockerfile: `${S}RUN pip install --no-c flask\n` },
        ['2 package-cache-in-layer'],
      ],
      [
        'pip without --no-cache-dir',
        { Dockerfile: `${S}RUN pip install fastapi\n` },
        ['2 package-cache-in-layer'],
      ],
      ['PIP_NO_CACHE_DIR env', { Dockerfile: `${S}ENV PIP_NO_CACHE_DIR=1\nRUN pip install fastapi\n` }, []],
      ['PIP_NO_CACHE_DIR prefix', { Dockerfile: `${S}RUN PIP_NO_CACHE_DIR=1 pip install fastapi\n` }, []],
      [
        'cache mount on /root/.cache',
        { Dockerfile: `${S}RUN --mount=type=cache,target=/root/.cache pip install fastapi\n` },
        [],
      ],
      [
        'cache removed in the same RUN',
        { Dockerfile: `${S}RUN pip install fastapi && rm -rf /root/.cache/pip\n` },
        [],
      ],
      [
        'apt lists removed',
        {
          Dockerfile: `${S}RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n`,
        },
        [],
      ],
      [
        'apt lists kept',
        { Dockerfile: `${S}RUN apt-get update && apt-get install -y --no-install-recommends curl\n` },
        ['2 package-cache-in-layer'],
      ],
      [
        'builder stage is not shipped',
        {
          Dockerfile: `FROM python:3.11-slim AS b\nRUN pip install fastapi\nFROM python:3.11-slim\nCOPY --from=b /usr/local /usr/local\n`,
        },
        [],
      ],
      [
        'conda clean',
        {
          Dockerfile:
            'FROM continuumio/miniconda3:24.4.0-0\nRUN conda install -y numpy && conda clean -afy\n',
        },
        [],
      ],
      [
        'npm cache mount',
        { Dockerfile: 'FROM node:20-slim\nRUN --mount=type=cache,target=/root/.npm npm ci\n' },
        [],
      ],
    ]),
  )('%s', (_name, files, want) => {
    expect(keys(lintFiles(files))).toEqual(want.sort());
  });
});
