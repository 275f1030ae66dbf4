import { describe, expect, test } from 'vitest';
import { type Row, S, keys, lintFiles, spec } from '../helpers.js';

describe('torch-via-dependency', () => {
  test.each<Row>(
    spec([
      [
        'sentence-transformers alone',
        { Dockerfile: `${S}RUN pip install --no-cache-dir sentence-transformers\n` },
        ['2 torch-via-dependency'],
      ],
      [
        'names are normalised',
        { Dockerfile: `${S}RUN pip install --no-cache-dir Sentence_Transformers==3.0\n` },
        ['2 torch-via-dependency'],
      ],
      [
        'torch in the same install',
        {
          Dockerfile: `${S}RUN pip install --no-cache-dir torch==2.3.1+cpu sentence-transformers --extra-index-url https://download.pytorch.org/whl/cpu\n`,
        },
        [],
      ],
      [
        'torch earlier in a parent stage',
        {
          Dockerfile: `FROM python:3.11-slim AS base\nRUN pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cpu\nFROM base\nRUN pip install --no-cache-dir easyocr\n`,
        },
        [],
      ],
      [
        '--no-deps',
        { Dockerfile: `${S}RUN pip install --no-cache-dir --no-deps sentence-transformers\n` },
        [],
      ],
      [
        'plain transformers is fine',
        { Dockerfile: `${S}RUN pip install --no-cache-dir transformers faster-whisper\n` },
        [],
      ],
      [
        'pyproject optional extra',
        {
          Dockerfile: `${S}WORKDIR /app\nCOPY pyproject.toml .\nRUN pip install --no-cache-dir ".[ml]"\n`,
          'pyproject.toml':
            '[project]\nname = "x"\ndependencies = ["fastapi"]\n\n[project.optional-dependencies]\nml = ["sentence-transformers"]\n',
        },
        ['pyproject.toml:6 torch-via-dependency'],
      ],
      [
        'pyproject dynamic dependencies file',
        {
          Dockerfile: `${S}WORKDIR /app\nCOPY pyproject.toml requirements.txt ./\nRUN pip install --no-cache-dir .\n`,
          'pyproject.toml':
            '[project]\nname = "x"\ndynamic = ["dependencies"]\n[tool.setuptools.dynamic]\ndependencies = {file = ["requirements.txt"]}\n',
          'requirements.txt': 'ultralytics\n',
        },
        ['requirements.txt:1 torch-via-dependency'],
      ],
    ]),
  )('%s', (_name, files, want) => {
    expect(keys(lintFiles(files))).toEqual(want.sort());
  });
});
