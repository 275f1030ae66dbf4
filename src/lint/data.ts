/**
 * The lint's knowledge, kept as data so it can grow without touching the rules.
 * Package names are PEP 503-normalised (lowercase, runs of `-_.` as one `-`).
 */

/** The PyTorch wheels whose default (PyPI, Linux x86-64) build bundles CUDA. */
export const TORCH_PACKAGES: ReadonlySet<string> = new Set(['torch', 'torchvision', 'torchaudio']);

/**
 * Packages that depend on torch: installing one without torch already present (or a CPU index in
 * force) pulls the CUDA build of torch from PyPI, ~2-8 GB with its nvidia-* wheels.
 */
export const TORCH_DEPENDENTS: ReadonlySet<string> = new Set([
  'sentence-transformers',
  'openai-whisper',
  'whisperx',
  'whisper-timestamped',
  'stable-ts',
  'coqui-tts',
  'tts',
  'f5-tts',
  'ultralytics',
  'easyocr',
  'accelerate',
  'peft',
  'timm',
  'torchmetrics',
  'pytorch-lightning',
  'lightning',
  'bitsandbytes',
  'xformers',
  'vllm',
  'deepspeed',
  'trl',
  'optimum',
  'kornia',
  'open-clip-torch',
  'segment-anything',
  'flair',
  'stanza',
  'spacy-transformers',
  'gliner',
  'pyannote-audio',
  'speechbrain',
  'demucs',
  'audiocraft',
  'nemo-toolkit',
  'fairseq',
  'torchtext',
  'llama-index-embeddings-huggingface',
  'langchain-huggingface',
  'unsloth',
  'colbert-ai',
  'ragatouille',
  'rerankers',
  'fastai',
  'transformers-interpret',
]);

/** Packages whose extras pull torch: `transformers[torch]`. */
export const TORCH_EXTRAS: Readonly<Record<string, readonly string[]>> = {
  transformers: ['torch'],
  'sentence-transformers': [],
  diffusers: ['torch'],
  unstructured: ['local-inference'],
};

/** Debian/Ubuntu (apt), Alpine (apk) and RHEL (dnf/yum) compilers and build tools. */
export const TOOLCHAIN_PACKAGES: ReadonlySet<string> = new Set([
  'build-essential',
  'build-base',
  'gcc',
  'g++',
  'gfortran',
  'clang',
  'make',
  'cmake',
  'ninja-build',
  'autoconf',
  'automake',
  'libtool',
  'pkg-config',
  'pkgconf',
  'cpp',
  'gcc-c++',
  'gcc-gfortran',
  'musl-dev',
  'linux-headers',
  'cargo',
  'rustc',
]);

/** Versioned compilers by family: `gcc-12`, `g++-11`, `clang-17`, `gfortran-13`, `cpp-12`. */
export const TOOLCHAIN_FAMILY = /^(?:gcc|g\+\+|cpp|gfortran|clang|clang\+\+|llvm|lld)-\d+(?:\.\d+)?$/;

/** Package suffixes that are headers only: `libpq-dev`, `python3-dev`, `openssl-devel`. */
export const DEV_PACKAGE = /^[a-z0-9][a-z0-9.+-]*-(?:dev|devel)(?:[:=].*)?$/;

/** Base images that ship CUDA. */
export const CUDA_BASE_IMAGES: readonly { image: RegExp; tag?: RegExp; what: string }[] = [
  { image: /^(?:[\w.-]+\/)*nvidia\/cuda$/, what: 'NVIDIA CUDA' },
  { image: /^(?:docker\.io\/)?pytorch\/pytorch$/, tag: /^(?!.*\bcpu\b)/, what: 'PyTorch CUDA' },
  { image: /^nvcr\.io\/nvidia\/[\w.-]+$/, what: 'NVIDIA NGC' },
  { image: /^(?:docker\.io\/)?tensorflow\/tensorflow$/, tag: /gpu/, what: 'TensorFlow GPU' },
  { image: /^(?:docker\.io\/)?huggingface\/transformers-pytorch-gpu$/, what: 'Hugging Face GPU' },
  // Built FROM nvidia/cuda (https://github.com/coqui-ai/TTS/blob/dev/Dockerfile); `tts-cpu` is the CPU image.
  { image: /^ghcr\.io\/coqui-ai\/tts$/, what: 'Coqui TTS (CUDA)' },
  // Built FROM pytorch/pytorch CUDA (https://docs.ultralytics.com/guides/docker-quickstart/); `-cpu` tags are CPU.
  {
    image: /^(?:docker\.io\/)?ultralytics\/(?:yolov5|ultralytics)$/,
    tag: /^(?!.*cpu)/,
    what: 'Ultralytics (CUDA)',
  },
  // https://docs.vllm.ai/en/latest/deployment/docker.html
  { image: /^(?:docker\.io\/)?vllm\/vllm-openai$/, what: 'vLLM (CUDA)' },
  // https://github.com/pytorch/serve/tree/master/docker: `-gpu` tags
  { image: /^(?:docker\.io\/)?pytorch\/torchserve$/, tag: /gpu/, what: 'TorchServe GPU' },
  // AWS Deep Learning Containers (https://github.com/aws/deep-learning-containers/blob/master/available_images.md):
  // the GPU images carry `gpu` and the CUDA version (`cu121`) in their tag.
  {
    image:
      /^(?:\d+\.dkr\.ecr\.[\w-]+\.amazonaws\.com(?:\.cn)?|public\.ecr\.aws\/deep-learning-containers)\/(?:pytorch|tensorflow|huggingface|mxnet|djl|autogluon)[\w-]*$/,
    tag: /gpu|cu\d{2,3}/,
    what: 'AWS Deep Learning Container (GPU)',
  },
  // Google Cloud Deep Learning Containers (https://cloud.google.com/deep-learning-containers/docs/choosing-container):
  // the CUDA variant is in the image name (`pytorch-cu121.2-2.py310`, `tf-gpu.2-15`).
  {
    image:
      /^(?:[\w-]+-docker\.pkg\.dev\/deeplearning-platform-release\/gcr\.io|gcr\.io\/deeplearning-platform-release)\/[\w.-]*(?:gpu|cu\d{2,3})[\w.-]*$/,
    what: 'Google Cloud Deep Learning Container (GPU)',
  },
  // https://www.paddlepaddle.org.cn/documentation/docs/en/install/docker/linux-docker_en.html: GPU tags name CUDA.
  {
    image:
      /^(?:(?:docker\.io|registry\.baidubce\.com|ccr-[\w-]+\.cnc\.bj\.baidubce\.com)\/)?paddlepaddle\/paddle$/,
    tag: /gpu|cuda/,
    what: 'PaddlePaddle GPU',
  },
  // https://github.com/runpod-workers/worker-vllm: CUDA images
  { image: /^(?:docker\.io\/)?runpod\/(?:pytorch|worker-v1-vllm)$/, what: 'RunPod (CUDA)' },
];

/** Folders and files in a build context that should not be sent to the builder. */
export const DOCKERIGNORE_SHOULD_EXCLUDE: readonly { name: string; anywhere: boolean; why: string }[] = [
  { name: '.git', anywhere: false, why: 'git history' },
  { name: 'node_modules', anywhere: true, why: 'installed Node modules' },
  { name: '__pycache__', anywhere: true, why: 'Python bytecode' },
  { name: '.venv', anywhere: false, why: 'a local virtualenv' },
  { name: 'venv', anywhere: false, why: 'a local virtualenv' },
  { name: '.mypy_cache', anywhere: false, why: 'type-checker cache' },
  { name: '.pytest_cache', anywhere: false, why: 'test cache' },
  { name: 'models', anywhere: false, why: 'model weights' },
  { name: 'checkpoints', anywhere: false, why: 'model checkpoints' },
  { name: 'weights', anywhere: false, why: 'model weights' },
  { name: 'data', anywhere: false, why: 'data sets' },
  { name: 'datasets', anywhere: false, why: 'data sets' },
  { name: 'tests', anywhere: false, why: 'tests' },
  { name: 'notebooks', anywhere: false, why: 'notebooks' },
];

/** Python images whose full variant ships compilers and headers (~1 GB vs ~130 MB for slim). */
export const FULL_PYTHON_IMAGE = /^(?:(?:docker\.io\/)?(?:library\/)?)python$/;
