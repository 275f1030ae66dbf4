import { describe, expect, test } from 'vitest';
import { type Row, S, keys, lintFiles, spec } from '../helpers.js';

describe('cuda-torch', () => {
  test.each<Row>(
    spec([
      [
        'a CUDA index in the branch the ARG default takes',
        {
          Dockerfile: `${S}ARG USE_CUDA=true\nRUN if [ "$USE_CUDA" = "true" ]; then pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cu121; fi\n`,
        },
        ['3 cuda-torch'],
      ],
      [
        'torch already in a PyTorch base, installed again without a version',
        {
          Dockerfile:
            'FROM pytorch/pytorch:2.3.1-cuda12.1-cudnn8-runtime\nRUN pip install --no-cache-dir torch transformers\n',
        },
        ['1 cuda-torch'],
      ],
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
      // Base-image kinds added after the second held-out set (bench set held-out-2).
      [
        'an AWS deep-learning container with a gpu tag',
        {
          Dockerfile: 'FROM 123456789012.dkr.ecr.eu-west-1.amazonaws.com/pytorch-inference:2.3.0-gpu-py311\n',
        },
        ['1 cuda-torch'],
      ],
      [
        'an AWS deep-learning container with a cpu tag',
        {
          Dockerfile: 'FROM 123456789012.dkr.ecr.eu-west-1.amazonaws.com/pytorch-inference:2.3.0-cpu-py311\n',
        },
        [],
      ],
      [
        'a Google Cloud deep-learning container for CUDA',
        {
          Dockerfile:
            'FROM us-docker.pkg.dev/deeplearning-platform-release/gcr.io/pytorch-cu121.2-3.py310:m124\n',
        },
        ['1 cuda-torch'],
      ],
      [
        'a PaddlePaddle GPU tag',
        { Dockerfile: 'FROM paddlepaddle/paddle:2.6.1-gpu-cuda12.0-cudnn8.9-trt8.6\n' },
        ['1 cuda-torch'],
      ],
      ['a PaddlePaddle CPU tag', { Dockerfile: 'FROM paddlepaddle/paddle:2.6.1\n' }, []],
    ]),
  )('%s', (_name, files, want) => {
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

  test('a CUDA index in a branch the defaults do not take is a note naming the build arg', () => {
    const f = lintFiles({
      Dockerfile: `${S}ARG USE_CUDA=false\nRUN if [ "$USE_CUDA" = "true" ]; then pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cu121; else pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cpu; fi\n`,
    });
    expect(f.map((x) => `${x.line} ${x.rule} ${x.severity}`)).toEqual(['3 cuda-torch note']);
    expect(f[0]!.message).toMatch(/build arg `USE_CUDA`/);
  });

  test.each([
    ['an ARG without a default', 'ARG USE_CUDA\n'],
    ['an ARG without a default, read through an ENV', 'ARG USE_CUDA\nENV USE_CUDA_DOCKER=${USE_CUDA}\n'],
    ['an ARG before FROM without a default, redeclared', 'ARG USE_CUDA\n'],
  ])('%s: the CUDA branch is a note naming the build arg', (name, decl) => {
    const cond = name.includes('ENV') ? '$USE_CUDA_DOCKER' : '$USE_CUDA';
    const body = `${decl}RUN if [ "${cond}" = "true" ]; then pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cu121; else pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cpu; fi\n`;
    const Dockerfile = name.includes('before FROM') ? `ARG USE_CUDA\n${S}${body}` : `${S}${body}`;
    const f = lintFiles({ Dockerfile });
    expect(f.map((x) => `${x.rule} ${x.severity}`)).toEqual(['cuda-torch note']);
    expect(f[0]!.message).toMatch(/build arg `USE_CUDA`/);
  });

  test('a build arg the build passes turns the CUDA branch on', () => {
    const f = lintFiles(
      {
        Dockerfile: `${S}ARG USE_CUDA\nENV USE_CUDA_DOCKER=\${USE_CUDA}\nRUN if [ "$USE_CUDA_DOCKER" = "true" ]; then pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cu121; fi\n`,
      },
      { buildArgs: { USE_CUDA: 'true' } },
    );
    expect(f.map((x) => `${x.line} ${x.rule} ${x.severity}`)).toEqual(['4 cuda-torch error']);
  });
});
