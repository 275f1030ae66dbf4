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
      // Kinds added after the second held-out set (bench set held-out-2); our own minimal lines.
      [
        'a CLI that fetches its models on first run (`paddleocr`)',
        { Dockerfile: `${S}RUN paddleocr --image_dir /tmp/page.png --lang en\n` },
        ['2 model-download-in-build'],
      ],
      [
        '`yolo … model=` fetches the named weights',
        { Dockerfile: `${S}RUN yolo predict model=yolo11s.pt source=/tmp/a.jpg\n` },
        ['2 model-download-in-build'],
      ],
      [
        '`kaggle datasets download`',
        { Dockerfile: `${S}RUN kaggle datasets download -d someone/reviews --unzip\n` },
        ['2 model-download-in-build'],
      ],
      [
        'a data set archive fetched then unpacked (`data` in the file name)',
        {
          Dockerfile: `${S}RUN curl -fsSLO https://files.example.net/asr/data_speech_v3.tgz && tar xzf data_speech_v3.tgz\n`,
        },
        ['2 model-download-in-build'],
      ],
      [
        'a model archive whose path names the model library, unpacked in a later RUN',
        {
          Dockerfile: `${S}RUN wget -q https://dl.example.edu/share/sentence-transformers/v1/mini-encoder.zip\nRUN unzip mini-encoder.zip -d /srv/enc\n`,
        },
        ['2 model-download-in-build'],
      ],
      [
        'a corpus archive with a query string',
        {
          Dockerfile: `${S}RUN wget -O c.tar.gz "https://records.example.org/files/corpus-en.tar.gz?download=1"\n`,
        },
        ['2 model-download-in-build'],
      ],
      [
        'compressed word vectors',
        { Dockerfile: `${S}RUN wget https://vectors.example.com/wiki.en.300.vec.gz\n` },
        ['2 model-download-in-build'],
      ],
      [
        'a source archive whose words only contain `data` (`metadata`, `tzdata`)',
        {
          Dockerfile: `${S}RUN wget https://example.org/pub/metadata-tools-2.0.tar.gz https://example.org/tz/tzdata2024a.tar.gz\n`,
        },
        [],
      ],
      [
        '`python -m gensim.downloader --download`',
        { Dockerfile: `${S}RUN python -m gensim.downloader --download glove-twitter-25\n` },
        ['2 model-download-in-build'],
      ],
      [
        '`load_dataset(` from Hugging Face datasets',
        { Dockerfile: `${S}RUN python -c "from datasets import load_dataset; load_dataset('imdb')"\n` },
        ['2 model-download-in-build'],
      ],
      [
        'a torchvision model with pretrained weights',
        {
          Dockerfile: `${S}RUN python -c "import torchvision; torchvision.models.resnet18(weights='DEFAULT')"\n`,
        },
        ['2 model-download-in-build'],
      ],
      [
        'a torchvision model with no weights',
        { Dockerfile: `${S}RUN python -c "import torchvision; torchvision.models.resnet18(weights=None)"\n` },
        [],
      ],
      [
        'a torchvision data set with download=True',
        {
          Dockerfile: `${S}RUN python -c "from torchvision import datasets; datasets.CIFAR10('/d', download=True)"\n`,
        },
        ['2 model-download-in-build'],
      ],
      [
        '`HuggingFacePipeline.from_model_id(` in a script',
        {
          Dockerfile: `${S}COPY warm.py .\nRUN python warm.py\n`,
          'warm.py':
            'from langchain_huggingface import HuggingFacePipeline\nllm = HuggingFacePipeline.from_model_id(model_id="org/tiny", task="text-generation")\n',
        },
        ['warm.py:2 model-download-in-build'],
      ],
      [
        'OpenAI CLIP `clip.load(`',
        { Dockerfile: `${S}RUN python -c "import clip; clip.load('RN50', device='cpu')"\n` },
        ['2 model-download-in-build'],
      ],
      [
        'a Keras application with imagenet weights, and `get_file`',
        {
          Dockerfile: `${S}COPY prep.py .\nRUN python prep.py\n`,
          'prep.py':
            'from tensorflow import keras\nkeras.utils.get_file("t.zip", "https://example.org/t.zip")\nkeras.applications.MobileNetV2(weights="imagenet")\n',
        },
        ['prep.py:2 model-download-in-build'],
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
