import { describe, expect, test } from 'vitest';
import { type Row, S, keys, lintFiles, spec } from '../helpers.js';

describe('model-download-in-build', () => {
  test.each<Row>(
    spec([
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
    ]),
  )('%s', (_name, files, want) => {
    expect(keys(lintFiles(files))).toEqual(want.sort());
  });
});
