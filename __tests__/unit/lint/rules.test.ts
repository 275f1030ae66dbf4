import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTENT_RULE_META } from '../../../src/measure/contents.js';
import { describe, expect, test } from 'vitest';
import { RULES } from '../../../src/lint/index.js';
import { keys, lintFiles } from './helpers.js';

const S = 'FROM python:3.11-slim\n';

type Row = [string, Record<string, string>, string[]];

describe('cuda-torch', () => {
  test.each<Row>([
    ['pip torch from PyPI', { Dockerfile: `${S}RUN pip install --no-cache-dir torch\n` }, ['2 cuda-torch']],
    [
      'pip3 with version',
      { Dockerfile: `${S}RUN pip3 install --no-cache-dir "torch>=2.2,<2.4"\n` },
      ['2 cuda-torch'],
    ],
    [
      'CPU index',
      {
        Dockerfile: `${S}RUN pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cpu\n`,
      },
      [],
    ],
    [
      'CPU extra index with =',
      {
        Dockerfile: `${S}RUN pip install --no-cache-dir --extra-index-url=https://download.pytorch.org/whl/cpu torch\n`,
      },
      [],
    ],
    [
      '+cpu pin',
      {
        Dockerfile: `${S}RUN pip install --no-cache-dir torch==2.3.1+cpu -f https://download.pytorch.org/whl/torch_stable.html\n`,
      },
      [],
    ],
    [
      'CPU wheel URL',
      {
        Dockerfile: `${S}RUN pip install --no-cache-dir https://download.pytorch.org/whl/cpu/torch-2.3.1%2Bcpu-cp311-cp311-linux_x86_64.whl\n`,
      },
      [],
    ],
    [
      'CUDA wheel URL',
      {
        Dockerfile: `${S}RUN pip install --no-cache-dir https://download.pytorch.org/whl/cu121/torch-2.3.1%2Bcu121-cp311-cp311-linux_x86_64.whl\n`,
      },
      ['2 cuda-torch'],
    ],
    [
      'CUDA index',
      {
        Dockerfile: `${S}RUN pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cu118\n`,
      },
      ['2 cuda-torch'],
    ],
    [
      'ROCm index',
      {
        Dockerfile: `${S}RUN pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/rocm6.0\n`,
      },
      ['2 cuda-torch'],
    ],
    ['uv pip', { Dockerfile: `${S}RUN uv pip install --system --no-cache torchaudio\n` }, ['2 cuda-torch']],
    [
      'uv --torch-backend cpu',
      { Dockerfile: `${S}RUN uv pip install --system --no-cache torch --torch-backend cpu\n` },
      [],
    ],
    ['poetry add', { Dockerfile: `${S}ENV PIP_NO_CACHE_DIR=1\nRUN poetry add torch\n` }, ['3 cuda-torch']],
    [
      'conda cpuonly',
      {
        Dockerfile:
          'FROM continuumio/miniconda3:24.4.0-0\nRUN conda install -y -c pytorch pytorch cpuonly && conda clean -afy\n',
      },
      [],
    ],
    [
      'conda pytorch channel',
      {
        Dockerfile:
          'FROM continuumio/miniconda3:24.4.0-0\nRUN conda install -y -c pytorch pytorch && conda clean -afy\n',
      },
      ['2 cuda-torch'],
    ],
    [
      'conda-forge only',
      {
        Dockerfile:
          'FROM continuumio/miniconda3:24.4.0-0\nRUN conda install -y -c conda-forge pytorch && conda clean -afy\n',
      },
      [],
    ],
    ['nvidia/cuda base', { Dockerfile: 'FROM nvidia/cuda:12.2.0-base-ubuntu22.04\n' }, ['1 cuda-torch']],
    [
      'pytorch/pytorch base',
      { Dockerfile: 'FROM pytorch/pytorch:2.3.1-cuda12.1-cudnn8-runtime\n' },
      ['1 cuda-torch'],
    ],
    ['tensorflow gpu image', { Dockerfile: 'FROM tensorflow/tensorflow:2.16.1-gpu\n' }, ['1 cuda-torch']],
    ['tensorflow cpu image', { Dockerfile: 'FROM tensorflow/tensorflow:2.16.1\n' }, []],
    [
      'requirements line',
      {
        Dockerfile: `${S}COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n`,
        'requirements.txt': '# deps\nnumpy\ntorch ; sys_platform == "linux"\n',
      },
      ['requirements.txt:3 cuda-torch'],
    ],
    [
      'requirements index line counts',
      {
        Dockerfile: `${S}COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n`,
        'requirements.txt': 'torch\n--index-url https://download.pytorch.org/whl/cpu\n',
      },
      [],
    ],
    [
      'PIP_INDEX_URL in ARG',
      {
        Dockerfile: `${S}ARG PIP_INDEX_URL=https://download.pytorch.org/whl/cpu\nRUN pip install --no-cache-dir torch\n`,
      },
      [],
    ],
    [
      'UV_EXTRA_INDEX_URL in ENV',
      {
        Dockerfile: `${S}ENV UV_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu UV_NO_CACHE=1\nRUN uv pip install --system torch\n`,
      },
      [],
    ],
    [
      'pip config set',
      {
        Dockerfile: `${S}RUN pip config set global.extra-index-url https://download.pytorch.org/whl/cpu\nRUN pip install --no-cache-dir torch\n`,
      },
      [],
    ],
    [
      'pip.conf written by heredoc',
      {
        Dockerfile: `${S}COPY <<EOF /etc/pip.conf\n[global]\nindex-url = https://download.pytorch.org/whl/cpu\nEOF\nRUN pip install --no-cache-dir torch\n`,
      },
      [],
    ],
    [
      '--no-index local wheels',
      { Dockerfile: `${S}RUN pip install --no-cache-dir --no-index --find-links /wheels torch\n` },
      [],
    ],
    [
      'tensorflow[and-cuda]',
      { Dockerfile: `${S}RUN pip install --no-cache-dir "tensorflow[and-cuda]"\n` },
      ['2 cuda-torch'],
    ],
  ])('%s', (_name, files, want) => {
    expect(keys(lintFiles(files))).toEqual(want.sort());
  });

  test('gpu: true silences CUDA rules', () => {
    const f = lintFiles(
      {
        Dockerfile:
          'FROM nvidia/cuda:12.2.0-base-ubuntu22.04\nRUN pip install --no-cache-dir torch sentence-transformers\n',
      },
      { gpu: true },
    );
    expect(keys(f)).toEqual([]);
  });

  test('the finding carries a column range and a fix', () => {
    const [f] = lintFiles({ Dockerfile: `${S}RUN pip install --no-cache-dir torch\n` });
    expect(f).toMatchObject({
      rule: 'cuda-torch',
      severity: 'error',
      line: 2,
      column: 32,
      endColumn: 37,
      source: 'lint',
    });
    expect(f!.fix).toMatch(/whl\/cpu/);
  });
});

describe('torch-via-dependency', () => {
  test.each<Row>([
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
    ['--no-deps', { Dockerfile: `${S}RUN pip install --no-cache-dir --no-deps sentence-transformers\n` }, []],
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
  ])('%s', (_name, files, want) => {
    expect(keys(lintFiles(files))).toEqual(want.sort());
  });
});

describe('model-download-in-build', () => {
  test.each<Row>([
    [
      'from_pretrained in python -c',
      {
        Dockerfile: `${S}RUN python -c "from transformers import AutoTokenizer as T; T.from_pretrained('bert-base-uncased')"\n`,
      },
      ['2 model-download-in-build'],
    ],
    [
      'transformers pipeline(',
      {
        Dockerfile: `${S}RUN python -c "from transformers import pipeline; pipeline('sentiment-analysis')"\n`,
      },
      ['2 model-download-in-build'],
    ],
    [
      'hf_hub_download',
      {
        Dockerfile: `${S}RUN python3 -c 'from huggingface_hub import hf_hub_download as d; d("a/b", "model.onnx")'\n`,
      },
      ['2 model-download-in-build'],
    ],
    [
      'curl of a .pt',
      { Dockerfile: `${S}RUN curl -fsSL -o /m.pt https://example.com/yolov8n.pt\n` },
      ['2 model-download-in-build'],
    ],
    [
      'curl of a hf resolve URL',
      {
        Dockerfile: `${S}RUN curl -L -o /m https://huggingface.co/x/y/resolve/main/config.json?download=true\n`,
      },
      ['2 model-download-in-build'],
    ],
    [
      'curl of a tarball is not a model',
      { Dockerfile: `${S}RUN curl -fsSL https://example.com/tool.tar.gz | tar -xz\n` },
      [],
    ],
    ['git lfs pull', { Dockerfile: `${S}RUN git lfs pull\n` }, ['2 model-download-in-build']],
    ['git clone of code', { Dockerfile: `${S}RUN git clone https://github.com/org/repo /src\n` }, []],
    [
      'python -m module script',
      {
        Dockerfile: `${S}WORKDIR /app\nCOPY app/ app/\nRUN python -m app.warmup\n`,
        'app/warmup.py': 'import whisper\nwhisper.load_model("base")\n',
        '.dockerignore': '.git\n',
      },
      ['4 model-download-in-build'],
    ],
    [
      'commented call in a script',
      {
        Dockerfile: `${S}COPY s.py .\nRUN python s.py\n`,
        's.py': '# SentenceTransformer("x") is loaded at startup\nprint(1)\n',
      },
      [],
    ],
    [
      'CMD is the right place',
      {
        Dockerfile: `${S}CMD ["python", "-c", "from huggingface_hub import snapshot_download; snapshot_download('a/b')"]\n`,
      },
      [],
    ],
    [
      'uv run wrapper',
      {
        Dockerfile: `${S}COPY dl.py .\nRUN uv run --no-project python dl.py\n`,
        'dl.py': 'from TTS.api import TTS\nTTS("tts_models/en/ljspeech/vits")\n',
      },
      ['3 model-download-in-build'],
    ],
  ])('%s', (_name, files, want) => {
    expect(keys(lintFiles(files))).toEqual(want.sort());
  });
});

describe('toolchain-in-final-stage', () => {
  test.each<Row>([
    [
      'gcc and -dev in final',
      {
        Dockerfile: `${S}RUN apt-get update && apt-get install -y --no-install-recommends gcc python3-dev && rm -rf /var/lib/apt/lists/*\n`,
      },
      ['2 toolchain-in-final-stage'],
    ],
    [
      'runtime libs only',
      {
        Dockerfile: `${S}RUN apt-get update && apt-get install -y --no-install-recommends libgomp1 libsndfile1 ffmpeg && rm -rf /var/lib/apt/lists/*\n`,
      },
      [],
    ],
    [
      'dnf devel',
      { Dockerfile: 'FROM rockylinux:9\nRUN dnf install -y gcc openssl-devel && dnf clean all\n' },
      ['2 toolchain-in-final-stage'],
    ],
    [
      'apk build-base',
      { Dockerfile: 'FROM alpine:3.20\nRUN apk add --no-cache build-base\n' },
      ['2 toolchain-in-final-stage'],
    ],
  ])('%s', (_name, files, want) => {
    expect(keys(lintFiles(files))).toEqual(want.sort());
  });
});

describe('package-cache-in-layer', () => {
  test.each<Row>([
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
        Dockerfile: 'FROM continuumio/miniconda3:24.4.0-0\nRUN conda install -y numpy && conda clean -afy\n',
      },
      [],
    ],
    [
      'npm cache mount',
      { Dockerfile: 'FROM node:20-slim\nRUN --mount=type=cache,target=/root/.npm npm ci\n' },
      [],
    ],
  ])('%s', (_name, files, want) => {
    expect(keys(lintFiles(files))).toEqual(want.sort());
  });
});

describe('cache-busting-copy, remote-add, full-python-base, secret-in-build-arg, unpinned-base', () => {
  test.each<Row>([
    [
      'COPY . before npm ci',
      {
        Dockerfile: 'FROM node:20-slim\nCOPY . .\nRUN --mount=type=cache,target=/root/.npm npm ci\n',
        '.dockerignore': 'node_modules\n',
      },
      ['2 cache-busting-copy'],
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
    ['ADD a URL', { Dockerfile: `${S}ADD https://example.com/a.tar.gz /tmp/\n` }, ['2 remote-add']],
    ['ADD a local archive', { Dockerfile: `${S}ADD vendor.tar.gz /opt/\n`, 'vendor.tar.gz': 'x' }, []],
    ['python:3.12-bookworm final', { Dockerfile: 'FROM python:3.12-bookworm\n' }, ['1 full-python-base']],
    ['python via ARG', { Dockerfile: 'ARG PY=3.11\nFROM python:${PY}\n' }, ['2 full-python-base']],
    ['python slim via ARG', { Dockerfile: 'ARG PY=3.11\nFROM python:${PY}-slim\n' }, []],
    [
      'docker.io/library/python',
      { Dockerfile: 'FROM docker.io/library/python:3.11\n' },
      ['1 full-python-base'],
    ],
    ['alpine python is not pushed nor flagged', { Dockerfile: 'FROM python:3.11-alpine\n' }, []],
    ['GITHUB_TOKEN arg', { Dockerfile: `${S}ARG GITHUB_TOKEN\n` }, ['2 secret-in-build-arg']],
    ['legacy ENV form', { Dockerfile: `${S}ENV AWS_SECRET_ACCESS_KEY abc\n` }, ['2 secret-in-build-arg']],
    ['empty ENV placeholder', { Dockerfile: `${S}ENV OPENAI_API_KEY=""\n` }, []],
    ['untagged base', { Dockerfile: 'FROM debian\n' }, ['1 unpinned-base']],
    [
      'digest-pinned base',
      { Dockerfile: 'FROM debian@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n' },
      [],
    ],
    ['scratch', { Dockerfile: 'FROM scratch\nCOPY app /app\n', app: 'x' }, []],
  ])('%s', (_name, files, want) => {
    expect(keys(lintFiles(files))).toEqual(want.sort());
  });
});

describe('dockerignore', () => {
  test('reports the context size and its largest folders', () => {
    const f = lintFiles({
      Dockerfile: `${S}COPY . /app\n`,
      'data/big.csv': 'x'.repeat(50_000),
      'src/a.py': 'x',
    });
    expect(keys(f)).toEqual(['2 dockerignore']);
    expect(f[0]!.message).toMatch(/data\/ 49 KB/);
    expect(f[0]!.message).toMatch(/`data\/` \(data sets/);
  });
  test('negation and ** patterns', () => {
    const f = lintFiles({
      Dockerfile: `${S}COPY . /app\n`,
      '.dockerignore': '**/__pycache__\ndata\n!data/keep.txt\n',
      'src/__pycache__/a.pyc': 'x',
      'data/keep.txt': 'x',
      'data/x.bin': 'x',
    });
    expect(keys(f)).toEqual([]);
  });
  test('a Dockerfile-specific .dockerignore is used', () => {
    const f = lintFiles({
      Dockerfile: `${S}COPY . /app\n`,
      'Dockerfile.dockerignore': 'tests\n',
      'tests/t.py': 'x',
    });
    expect(keys(f)).toEqual([]);
  });
});

describe('suppression, severity and custom patterns', () => {
  test('ignore comment covers a multi-line instruction and the file it pulls in', () => {
    const f = lintFiles({
      Dockerfile: `${S}COPY requirements.txt .\n# image-budget-ignore cuda-torch\nRUN pip install --no-cache-dir \\\n    -r requirements.txt\n`,
      'requirements.txt': 'torch\n',
    });
    expect(keys(f)).toEqual([]);
  });
  test('ignore comment in the requirements file', () => {
    const f = lintFiles({
      Dockerfile: `${S}COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n`,
      'requirements.txt': '# image-budget-ignore torch-via-dependency\nsentence-transformers\n',
    });
    expect(keys(f)).toEqual([]);
  });
  test('ignoring one rule leaves the others', () => {
    const f = lintFiles({ Dockerfile: `${S}# image-budget-ignore cuda-torch\nRUN pip install torch\n` });
    expect(keys(f)).toEqual(['3 package-cache-in-layer']);
  });
  test('per-rule severity and off', () => {
    const f = lintFiles(
      { Dockerfile: 'FROM debian\nRUN pip install --no-cache-dir torch\n' },
      {},
      { rules: { 'cuda-torch': 'warning', 'unpinned-base': 'off' } },
    );
    expect(f.map((x) => `${x.rule}:${x.severity}`)).toEqual(['cuda-torch:warning']);
  });
  test('custom patterns, and a bad regex is a finding', () => {
    const f = lintFiles(
      { Dockerfile: `${S}RUN apt-get upgrade -y\n` },
      {},
      {
        patterns: [
          { id: 'no-apt-upgrade', regex: 'apt(-get)? upgrade', message: 'do not upgrade', severity: 'error' },
          { id: 'bad', regex: '(', message: 'x', severity: 'warning' },
        ],
      },
    );
    expect(f.map((x) => `${x.file}:${x.line} ${x.rule} ${x.severity}`).sort()).toEqual([
      '.github/image-budget.yml:1 invalid-config error',
      'Dockerfile:2 no-apt-upgrade error',
    ]);
  });
});

describe('RULES', () => {
  test('every rule has a kebab-case id, a severity and a docs page path', () => {
    for (const r of RULES) {
      expect(r.id).toMatch(/^[a-z]+(?:-[a-z]+)*$/);
      expect(['error', 'warning']).toContain(r.severity);
      expect(r.docs).toBe(`docs/rules/${r.id}.md`);
    }
    expect(RULES.map((r) => r.id)).toEqual(
      expect.arrayContaining([
        'cuda-torch',
        'torch-via-dependency',
        'model-download-in-build',
        'toolchain-in-final-stage',
        'package-cache-in-layer',
        'cache-busting-copy',
        'dockerignore',
        'remote-add',
        'full-python-base',
        'secret-in-build-arg',
        'unpinned-base',
        'invalid-dockerfile',
        'unreadable-file',
      ]),
    );
  });
});

describe('docs/rules', () => {
  test.each([...RULES, ...CONTENT_RULE_META].map((r) => [r.id, r.docs]))(
    '%s has a page with a bad example, a good example and the fix',
    (id, docs) => {
      const text = readFileSync(
        path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..', docs),
        'utf8',
      );
      expect(text).toMatch(new RegExp(`^# ${id}\\n`));
      for (const h of ['## Bad', '## Good', '## Fix']) expect(text).toContain(h);
      const index = readFileSync(
        path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/rules/README.md'),
        'utf8',
      );
      expect(index).toContain(`(${id}.md)`);
    },
  );
});
