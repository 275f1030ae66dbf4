import { describe, expect, test } from 'vitest';
import { type Row, S, keys, lintFiles, spec } from '../helpers.js';

describe('cache-busting-copy', () => {
  test.each<Row>(
    spec([
      [
        'COPY . before npm ci',
        {
          Dockerfile: 'FROM node:20-slim\nCOPY . .\nRUN --mount=type=cache,target=/root/.npm npm ci\n',
          '.dockerignore': 'node_modules\n',
        },
        ['2 cache-busting-copy'],
      ],
      [
        'COPY . before poetry install',
        {
          Dockerfile: `${S}RUN pip install --no-cache-dir poetry\nCOPY . .\nRUN poetry install\n`,
          '.dockerignore': '.git\n',
        },
        ['3 cache-busting-copy'],
      ],
      [
        'COPY . after install',
        {
          Dockerfile: `${S}COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n`,
          'requirements.txt': 'flask\n',
          '.dockerignore': '.git\n',
        },
        [],
      ],
      [
        'pip install --no-deps -e . after COPY .',
        {
          Dockerfile: `${S}COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nRUN pip install --no-cache-dir --no-deps -e .\n`,
          'requirements.txt': 'flask\n',
          '.dockerignore': '.git\n',
        },
        [],
      ],
      [
        "uv's layering: sync --no-install-project from bind mounts, COPY ., sync",
        {
          Dockerfile: `${S}RUN --mount=type=bind,source=uv.lock,target=uv.lock --mount=type=bind,source=pyproject.toml,target=pyproject.toml uv sync --frozen --no-cache --no-install-project\nCOPY . .\nRUN uv sync --frozen --no-cache\n`,
          'pyproject.toml': '[project]\nname = "a"\nversion = "1"\n',
          'uv.lock': 'version = 1\n',
          '.dockerignore': '.git\n',
        },
        [],
      ],
      [
        'poetry install --no-root first, then the project',
        {
          Dockerfile: `${S}RUN pip install --no-cache-dir poetry\nCOPY pyproject.toml poetry.lock ./\nRUN poetry install --no-root\nCOPY . .\nRUN poetry install\n`,
          'pyproject.toml': '[tool.poetry]\nname = "a"\n',
          'poetry.lock': '',
          '.dockerignore': '.git\n',
        },
        [],
      ],
    ]),
  )('%s', (_name, files, want) => {
    expect(keys(lintFiles(files))).toEqual(want.sort());
  });
});
