import { describe, expect, test } from 'vitest';
import { type Row, S, keys, lintFiles, spec } from '../helpers.js';

describe('model-download-in-build', () => {
  test.each<Row>(
    spec([
      [
        '`rembg d` (knowledge base CLI)',
        { Dockerfile: `${S}RUN rembg d u2net\n` },
        ['2 model-download-in-build'],
      ],
      [
        '`python -m nltk.downloader`',
        { Dockerfile: `${S}RUN python -m nltk.downloader punkt\n` },
        ['2 model-download-in-build'],
      ],
      [
        '`${PYTHON} -c` with a download',
        { Dockerfile: `${S}ARG PYTHON=python3\nRUN \${PYTHON} -c "import nltk; nltk.download('punkt')"\n` },
        ['3 model-download-in-build'],
      ],
      [
        'a script run through its shebang: the finding is on the script line',
        {
          Dockerfile: `${S}COPY fetch /app/fetch\nRUN /app/fetch\n`,
          fetch:
            '#!/usr/bin/env python3\nfrom huggingface_hub import snapshot_download\nsnapshot_download("org/m")\n',
        },
        ['fetch:3 model-download-in-build'],
      ],
      [
        'a shell script that calls a shell function holding the URL in a variable',
        {
          Dockerfile: `${S}COPY wrapper.sh install.sh /opt/\nRUN bash /opt/wrapper.sh\n`,
          'wrapper.sh': '#!/bin/sh\nsh /opt/install.sh\n',
          'install.sh':
            'URL=https://example.org/m/net.onnx\nfetch() { wget -q "$1"; }\nfetch https://example.org/m/net.onnx\n',
        },
        ['install.sh:2 model-download-in-build'],
      ],
      [
        'a script the Dockerfile copies but the context lacks is named',
        { Dockerfile: `${S}COPY download.py /app/download.py\nRUN python /app/download.py\n` },
        ['3 unreadable-file'],
      ],
      [
        'a `wget` of a source tarball',
        { Dockerfile: `${S}RUN wget https://example.org/src/tool-1.2.tar.gz\n` },
        [],
      ],
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
        ['app/warmup.py:2 model-download-in-build'],
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
        ['dl.py:2 model-download-in-build'],
      ],
    ]),
  )('%s', (_name, files, want) => {
    expect(keys(lintFiles(files))).toEqual(want.sort());
  });

  test('a download in a branch the defaults do not take is a note naming the build arg', () => {
    const f = lintFiles({
      Dockerfile: `${S}ARG PRELOAD=false\nRUN if [ "$PRELOAD" = "true" ]; then huggingface-cli download org/m; fi\n`,
    });
    expect(f.map((x) => `${x.line} ${x.rule} ${x.severity}`)).toEqual(['3 model-download-in-build note']);
    expect(f[0]!.message).toMatch(/build arg `PRELOAD`/);
  });
});
