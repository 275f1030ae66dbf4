/**
 * The knowledge base of model downloaders, kept as data: command-line tools, `python -m` modules,
 * Python APIs, URL hosts and path shapes, and weight file types that fetch model weights (or data
 * sets) when run in a RUN. Every entry names the page that documents the behaviour; the table is
 * listed in docs/rules/model-downloaders.md (a test keeps the two in step).
 */

export interface CliDownloader {
  /** Basename of the command (`whisper`, `ollama`). */
  command: string;
  /** The sub-command that downloads (`pull`), any of these; absent: every run downloads. */
  sub?: readonly string[];
  /** An option without which the command does not download. */
  needs?: string;
  what: string;
  docs: string;
}

export const CLI_DOWNLOADERS: readonly CliDownloader[] = [
  {
    command: 'huggingface-cli',
    sub: ['download'],
    what: '`huggingface-cli download` fetches a model',
    docs: 'https://huggingface.co/docs/huggingface_hub/guides/cli',
  },
  {
    command: 'hf',
    sub: ['download'],
    what: '`hf download` fetches a model',
    docs: 'https://huggingface.co/docs/huggingface_hub/guides/cli',
  },
  {
    command: 'ollama',
    sub: ['pull'],
    what: '`ollama pull` fetches a model',
    docs: 'https://github.com/ollama/ollama/blob/main/docs/cli.md',
  },
  {
    command: 'spacy',
    sub: ['download'],
    what: '`spacy download` fetches a model',
    docs: 'https://spacy.io/api/cli#download',
  },
  {
    command: 'whisper',
    needs: '--model',
    what: '`whisper --model` downloads Whisper weights on first use',
    docs: 'https://github.com/openai/whisper#command-line-usage',
  },
  {
    command: 'rembg',
    sub: ['d', 'download'],
    what: '`rembg d` downloads the background-removal models',
    docs: 'https://github.com/danielgatis/rembg#usage-as-a-cli',
  },
  {
    command: 'modelscope',
    sub: ['download'],
    what: '`modelscope download` fetches a model',
    docs: 'https://modelscope.cn/docs/models/download',
  },
  {
    command: 'gdown',
    what: '`gdown` downloads a file from Google Drive',
    docs: 'https://github.com/wkentaro/gdown#usage',
  },
  {
    command: 'gdown.pl',
    what: '`gdown.pl` downloads a file from Google Drive',
    docs: 'https://github.com/circulosmeos/gdown.pl',
  },
  {
    command: 'tts',
    needs: '--model_name',
    what: '`tts --model_name` downloads the Coqui TTS model on first use',
    docs: 'https://docs.coqui.ai/en/latest/inference.html',
  },
  {
    command: 'paddleocr',
    what: '`paddleocr` downloads its detection and recognition models on first run',
    docs: 'https://paddlepaddle.github.io/PaddleOCR/',
  },
  {
    command: 'easyocr',
    needs: '-l',
    what: '`easyocr -l` downloads the OCR models of those languages on first use',
    docs: 'https://github.com/JaidedAI/EasyOCR#usage',
  },
  {
    command: 'yolo',
    needs: 'model',
    what: '`yolo … model=` downloads the Ultralytics weights named when they are not on disk',
    docs: 'https://docs.ultralytics.com/usage/cli/',
  },
  {
    command: 'kaggle',
    needs: 'download',
    what: '`kaggle … download` fetches a data set, competition files or a model',
    docs: 'https://github.com/Kaggle/kaggle-api',
  },
  {
    command: 'argospm',
    sub: ['install'],
    what: '`argospm install` fetches translation models',
    docs: 'https://github.com/argosopentech/argos-translate#command-line-interface',
  },
  {
    command: 'docling-tools',
    needs: 'download',
    what: '`docling-tools models download` fetches the Docling models',
    docs: 'https://docling-project.github.io/docling/usage/',
  },
];

export interface ModuleDownloader {
  /** `python -m <module>`. */
  module: string;
  sub?: readonly string[];
  what: string;
  docs: string;
}

export const MODULE_DOWNLOADERS: readonly ModuleDownloader[] = [
  {
    module: 'spacy',
    sub: ['download'],
    what: '`python -m spacy download` fetches a model',
    docs: 'https://spacy.io/usage/models#download',
  },
  {
    module: 'nltk.downloader',
    what: '`python -m nltk.downloader` fetches NLTK data',
    docs: 'https://www.nltk.org/data.html#command-line-installation',
  },
  {
    module: 'unidic',
    sub: ['download'],
    what: '`python -m unidic download` fetches the UniDic dictionary (~770 MB)',
    docs: 'https://github.com/polm/unidic-py#installation',
  },
  {
    module: 'huggingface_hub',
    sub: ['download'],
    what: '`huggingface_hub download` fetches a model',
    docs: 'https://huggingface.co/docs/huggingface_hub/guides/cli',
  },
  {
    module: 'gdown',
    what: '`python -m gdown` downloads a file from Google Drive',
    docs: 'https://github.com/wkentaro/gdown#usage',
  },
  {
    module: 'rembg',
    sub: ['d', 'download'],
    what: '`python -m rembg d` downloads the background-removal models',
    docs: 'https://github.com/danielgatis/rembg#usage-as-a-cli',
  },
  {
    module: 'whisper',
    what: '`python -m whisper` downloads Whisper weights on first use',
    docs: 'https://github.com/openai/whisper#command-line-usage',
  },
  {
    module: 'stanza',
    sub: ['download'],
    what: '`python -m stanza download` fetches models',
    docs: 'https://stanfordnlp.github.io/stanza/download_models.html',
  },
  {
    module: 'argostranslate',
    what: '`argostranslate` package download fetches translation models',
    docs: 'https://github.com/argosopentech/argos-translate#command-line-interface',
  },
  {
    module: 'gensim.downloader',
    sub: ['--download', '-d'],
    what: '`python -m gensim.downloader --download` fetches a model or corpus',
    docs: 'https://radimrehurek.com/gensim/downloader.html',
  },
  {
    module: 'textblob.download_corpora',
    what: '`python -m textblob.download_corpora` fetches NLTK corpora',
    docs: 'https://textblob.readthedocs.io/en/dev/install.html',
  },
];

export interface PythonDownloadCall {
  pattern: RegExp;
  /** The call counts only where this import is in the same code. */
  requires?: RegExp;
  what: string;
  docs: string;
}

const HF = 'https://huggingface.co/docs/huggingface_hub/guides/download';

/** Model-download calls in Python code run during a build (comments are skipped before matching). */
export const PYTHON_DOWNLOAD_CALLS: readonly PythonDownloadCall[] = [
  {
    pattern: /\bfrom_pretrained\s*\(/,
    what: '`from_pretrained(` downloads model weights',
    docs: 'https://huggingface.co/docs/transformers/main_classes/model#transformers.PreTrainedModel.from_pretrained',
  },
  { pattern: /\bsnapshot_download\s*\(/, what: '`snapshot_download` downloads a model repository', docs: HF },
  { pattern: /\bhf_hub_download\s*\(/, what: '`hf_hub_download` downloads a model file', docs: HF },
  {
    pattern: /\b(?:snapshot_download|hf_hub_download)\s+as\s+\w+/,
    what: '`huggingface_hub` download function imported under another name',
    docs: HF,
  },
  {
    pattern: /\bSentenceTransformer\s*\(/,
    what: '`SentenceTransformer(` downloads the model',
    docs: 'https://sbert.net/docs/quickstart.html',
  },
  {
    pattern: /\bCrossEncoder\s*\(/,
    what: '`CrossEncoder(` downloads the model',
    docs: 'https://sbert.net/docs/cross_encoder/usage/usage.html',
  },
  {
    pattern: /\bHuggingFace(?:Instruct|Bge)?Embeddings\s*\(/,
    what: '`HuggingFaceEmbeddings(` downloads the embedding model',
    docs: 'https://python.langchain.com/docs/integrations/text_embedding/huggingfacehub/',
  },
  {
    pattern: /\bTextEmbedding\s*\(/,
    requires: /\bfastembed\b/,
    what: '`TextEmbedding(` from fastembed downloads the model',
    docs: 'https://qdrant.github.io/fastembed/',
  },
  {
    pattern: /\bwhisper(?:x)?\.load_model\s*\(/,
    what: '`whisper.load_model(` downloads Whisper weights',
    docs: 'https://github.com/openai/whisper#python-usage',
  },
  {
    pattern: /\bWhisperModel\s*\(/,
    what: '`WhisperModel(` downloads Whisper weights',
    docs: 'https://github.com/SYSTRAN/faster-whisper#usage',
  },
  {
    pattern: /(?<![\w.])TTS\s*\(/,
    what: '`TTS(` downloads the TTS model',
    docs: 'https://docs.coqui.ai/en/latest/inference.html',
  },
  {
    pattern: /\bF5TTS\s*\(/,
    what: '`F5TTS(` downloads the F5-TTS model',
    docs: 'https://github.com/SWivid/F5-TTS',
  },
  {
    pattern: /\btorch\.hub\.(?:load|load_state_dict_from_url|download_url_to_file)\s*\(/,
    what: '`torch.hub` downloads weights',
    docs: 'https://pytorch.org/docs/stable/hub.html',
  },
  {
    pattern: /\b(?:hub\.load|hub\.KerasLayer)\s*\(/,
    requires: /\btensorflow_hub\b/,
    what: '`tensorflow_hub` downloads a model',
    docs: 'https://www.tensorflow.org/hub/api_docs/python/hub/load',
  },
  {
    pattern: /\beasyocr\.Reader\s*\(/,
    what: '`easyocr.Reader(` downloads OCR models',
    docs: 'https://github.com/JaidedAI/EasyOCR#usage',
  },
  {
    pattern: /\bstanza\.download\s*\(/,
    what: '`stanza.download(` downloads models',
    docs: 'https://stanfordnlp.github.io/stanza/download_models.html',
  },
  {
    pattern: /\bspacy\.cli\.download\s*\(/,
    what: '`spacy.cli.download(` downloads a model',
    docs: 'https://spacy.io/api/cli#download',
  },
  {
    pattern: /\bnltk\.download\s*\(/,
    what: '`nltk.download(` downloads NLTK data',
    docs: 'https://www.nltk.org/data.html',
  },
  {
    pattern: /\bgdown\.download(?:_folder)?\s*\(/,
    what: '`gdown.download(` downloads from Google Drive',
    docs: 'https://github.com/wkentaro/gdown#usage',
  },
  {
    pattern: /\bnew_session\s*\(/,
    requires: /\brembg\b/,
    what: '`rembg.new_session(` downloads the model',
    docs: 'https://github.com/danielgatis/rembg#usage-as-a-library',
  },
  {
    pattern: /\bollama\.pull\s*\(/,
    what: '`ollama.pull(` fetches a model',
    docs: 'https://github.com/ollama/ollama-python',
  },
  {
    pattern: /\bYOLO\s*\(\s*['"][\w.-]+\.pt['"]/,
    what: '`YOLO("….pt")` downloads the weights',
    docs: 'https://docs.ultralytics.com/quickstart/#use-ultralytics-with-python',
  },
  {
    pattern: /\bPaddleOCR\s*\(/,
    what: '`PaddleOCR(` downloads OCR models',
    docs: 'https://paddlepaddle.github.io/PaddleOCR/',
  },
  {
    pattern:
      /\b(?:urlretrieve|download_url_to_file|wget\.download)\s*\([^)]*\.(?:pth?|bin|safetensors|onnx|ckpt|h5|gguf)\b/,
    what: 'a download of a weights file',
    docs: 'https://docs.python.org/3/library/urllib.request.html#urllib.request.urlretrieve',
  },
  {
    pattern: /\bcreate_model\s*\([^)]*pretrained\s*=\s*True/,
    requires: /\btimm\b/,
    what: '`timm.create_model(pretrained=True)` downloads weights',
    docs: 'https://huggingface.co/docs/timm/quickstart',
  },
  {
    pattern: /\bHuggingFacePipeline\.from_model_id\s*\(/,
    what: '`HuggingFacePipeline.from_model_id(` downloads the model',
    docs: 'https://python.langchain.com/docs/integrations/llms/huggingface_pipelines/',
  },
  {
    pattern: /\bclip\.load\s*\(/,
    requires: /\bimport\s+clip\b/,
    what: '`clip.load(` downloads CLIP weights',
    docs: 'https://github.com/openai/CLIP#usage',
  },
  {
    pattern: /\bcreate_model_and_transforms\s*\([^)]*pretrained\s*=/,
    requires: /\bopen_clip\b/,
    what: '`open_clip.create_model_and_transforms(pretrained=…)` downloads weights',
    docs: 'https://github.com/mlfoundations/open_clip#usage',
  },
  {
    pattern: /\bmodels\.\w+\s*\([^)]*(?:pretrained\s*=\s*True|weights\s*=\s*(?!None\b)[\w'"])/,
    requires: /\btorchvision\b/,
    what: 'a torchvision model built with pretrained weights downloads them',
    docs: 'https://pytorch.org/vision/stable/models.html',
  },
  {
    pattern: /\b\w+\s*\([^)]*weights\s*=\s*['"]imagenet['"]/,
    requires: /\bkeras\b/,
    what: 'a Keras application with `weights="imagenet"` downloads them',
    docs: 'https://keras.io/api/applications/',
  },
  {
    pattern: /\bget_file\s*\(/,
    requires: /\bkeras\b/,
    what: '`keras.utils.get_file(` downloads a file (a data set or weights)',
    docs: 'https://keras.io/api/utils/python_utils/#getfile-function',
  },
  {
    pattern: /\bload_dataset\s*\(/,
    requires: /\b(?:from\s+datasets\s+import|import\s+datasets)\b/,
    what: '`load_dataset(` from Hugging Face datasets downloads a data set',
    docs: 'https://huggingface.co/docs/datasets/loading',
  },
  {
    pattern: /\btfds\.load\s*\(/,
    what: '`tfds.load(` downloads a TensorFlow data set',
    docs: 'https://www.tensorflow.org/datasets/overview',
  },
  {
    pattern: /\bdownload\s*=\s*True\b/,
    requires: /\btorch(?:vision|audio|text)\b/,
    what: 'a torchvision/torchaudio data set with `download=True` downloads it',
    docs: 'https://pytorch.org/vision/stable/datasets.html',
  },
  {
    pattern: /\b(?:gensim\.downloader|api)\.load\s*\(/,
    requires: /\bgensim\.downloader\b/,
    what: '`gensim.downloader.load(` downloads a model or corpus',
    docs: 'https://radimrehurek.com/gensim/downloader.html',
  },
  {
    pattern: /\bfasttext\.util\.download_model\s*\(/,
    what: '`fasttext.util.download_model(` downloads word vectors',
    docs: 'https://fasttext.cc/docs/en/crawl-vectors.html',
  },
];

/** `pipeline(` counts only where transformers is imported in the same code. */
export const TRANSFORMERS_PIPELINE = /(?<![\w.])pipeline\s*\(/;
export const TRANSFORMERS_IMPORT = /\b(?:from\s+transformers\s+import|import\s+transformers)\b/;

/** File extensions of model weights. */
export const WEIGHT_EXTENSIONS: readonly string[] = [
  '.bin',
  '.pt',
  '.pth',
  '.safetensors',
  '.onnx',
  '.gguf',
  '.ggml',
  '.ckpt',
  '.h5',
  '.tflite',
  '.pb',
  '.keras',
  '.caffemodel',
  '.weights',
  '.nemo',
  '.mar',
];

export interface UrlShape {
  pattern: RegExp;
  what: string;
  docs: string;
}

/** URLs that are model or data downloads whatever their file type. */
export const DOWNLOAD_URLS: readonly UrlShape[] = [
  {
    pattern: /^https?:\/\/(?:huggingface\.co|hf\.co)\/.+\/resolve\//i,
    what: 'a Hugging Face model file',
    docs: 'https://huggingface.co/docs/hub/models-downloading',
  },
  {
    pattern: /^https?:\/\/(?:drive|docs)\.google\.com\/(?:uc|open|file\/d)\b/i,
    what: 'a Google Drive file',
    docs: 'https://github.com/wkentaro/gdown#faq',
  },
  {
    pattern: /^https?:\/\/(?:www\.)?modelscope\.cn\/(?:api\/v1\/)?models\//i,
    what: 'a ModelScope model file',
    docs: 'https://modelscope.cn/docs/models/download',
  },
  {
    pattern: /^https?:\/\/(?:tfhub\.dev|www\.kaggle\.com\/models)\//i,
    what: 'a TensorFlow Hub / Kaggle model',
    docs: 'https://www.tensorflow.org/hub/caching',
  },
  {
    pattern:
      /^(?:https?|s3|gs):\/\/\S*\/(?:models?|weights|checkpoints?|pretrained)\/\S+\.(?:zip|tar|tar\.gz|tgz|tar\.xz)$/i,
    what: 'a model archive',
    docs: 'https://docs.docker.com/build/building/best-practices/#add-or-copy',
  },
  {
    pattern:
      /^(?:https?|s3|gs):\/\/[^/\s]+\/(?:\S*[/_.-])?(?:models?|weights|checkpoints?|ckpts?|pretrained|embeddings?|vectors|datasets?|data|corpus|corpora|sentence-transformers)(?:[/_.-]\S*)?\.(?:zip|tar|tar\.gz|tgz|tar\.xz|tar\.bz2|tbz2?|7z)(?:[?#]\S*)?$/i,
    what: 'a model or data set archive',
    docs: 'https://docs.docker.com/build/building/best-practices/#add-or-copy',
  },
  {
    pattern:
      /^(?:https?|s3|gs):\/\/\S+\.(?:bin|pth?|onnx|safetensors|ckpt|h5|vec|gguf)\.(?:gz|bz2|xz|zip)(?:[?#]\S*)?$/i,
    what: 'a compressed weights or word-vectors file',
    docs: 'https://fasttext.cc/docs/en/crawl-vectors.html',
  },
];

/** git: model hubs, Git LFS, model folders (knowledge/git.ts). */
export * from './git.js';
