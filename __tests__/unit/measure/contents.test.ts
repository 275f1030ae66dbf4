import { describe, expect, it } from 'vitest';
import { classifyFile } from '../../../src/measure/contents.js';

const MB = 1024 * 1024;

/**
 * The rule and group of each path, as classifyFile gave them before the content rules became
 * modules: the order of the checks decides a path two rules could claim (a `.git` folder's weights
 * are git history; a small file under /usr/local/cuda falls through to the compiler check).
 */
const TABLE: [path: string, size: number, rule: string | undefined, group: string | undefined][] = [
  ['usr/lib/x86_64-linux-gnu/libcudnn.so.9', 10, 'cuda-libraries-in-image', ''],
  ['usr/lib/x86_64-linux-gnu/libcudnn_ops.so.9.1.0', 10, 'cuda-libraries-in-image', ''],
  [
    'usr/local/lib/python3.11/site-packages/nvidia/cublas/lib/libcublasLt.so.12',
    10,
    'cuda-libraries-in-image',
    '',
  ],
  ['usr/local/lib/python3.11/site-packages/nvidia/cudnn/include/cudnn.h', 10, 'cuda-libraries-in-image', ''],
  ['usr/lib/python3/dist-packages/nvidia/__init__.py', 0, 'cuda-libraries-in-image', ''],
  ['usr/local/lib/python3.11/site-packages/torch/lib/libtorch_cuda.so', 10, 'cuda-libraries-in-image', ''],
  ['usr/local/lib/python3.11/site-packages/torch/lib/libc10_cuda.so', 10, 'cuda-libraries-in-image', ''],
  ['usr/lib/libcudart.so.12.1.105', 10, 'cuda-libraries-in-image', ''],
  ['usr/lib/libnccl.so.2', 10, 'cuda-libraries-in-image', ''],
  ['usr/lib/libnppig.so.12', 10, 'cuda-libraries-in-image', ''],
  ['usr/lib/libcudart_static.a', 10, undefined, undefined],
  ['usr/lib/libcuda.so.1', 10, undefined, undefined],
  ['usr/lib/libcudart.a', 2 * MB, undefined, undefined],
  ['usr/local/cuda/bin/nvcc', 10, undefined, undefined],
  ['usr/local/cuda/bin/nvcc', 2 * MB, 'cuda-libraries-in-image', ''],
  ['usr/local/cuda-12.1/lib64/libfoo.so', 10, 'cuda-libraries-in-image', ''],
  ['usr/local/cuda/lib64/libcublas.so.12', 10, 'cuda-libraries-in-image', ''],
  ['usr/local/cudaextra/readme', 1 * MB, 'cuda-libraries-in-image', ''],
  ['app/model.safetensors', 60 * MB, 'model-weights-in-image', ''],
  ['app/model.safetensors', 9 * MB, undefined, undefined],
  ['app/MODEL.SAFETENSORS', 10 * MB, 'model-weights-in-image', ''],
  ['app/tiny.pt', 1000, undefined, undefined],
  ['app/model.pt', 10 * MB, 'model-weights-in-image', ''],
  ['app/model.pth', 50 * MB, 'model-weights-in-image', ''],
  ['app/model.ckpt', 50 * MB, 'model-weights-in-image', ''],
  ['app/model.h5', 50 * MB, 'model-weights-in-image', ''],
  ['app/model.tflite', 50 * MB, 'model-weights-in-image', ''],
  ['app/model.onnx', 50 * MB, 'model-weights-in-image', ''],
  ['app/model.ggml', 50 * MB, 'model-weights-in-image', ''],
  ['app/model.gguf', 20 * MB, 'model-weights-in-image', ''],
  ['app/pytorch_model.bin', 200 * MB, 'model-weights-in-image', ''],
  ['app/pytorch_model.bin', 100 * MB, 'model-weights-in-image', ''],
  ['app/pytorch_model.bin', 99 * MB, undefined, undefined],
  ['app/small.bin', 2 * MB, undefined, undefined],
  ['app/weights.safetensors.txt', 50 * MB, undefined, undefined],
  ['var/cache/apt/archives/big.bin', 200 * MB, 'package-cache-in-image', '/var/cache/apt'],
  ['usr/lib/firmware/nvidia/gsp.bin', 200 * MB, undefined, undefined],
  ['lib/firmware/nvidia/gsp.bin', 200 * MB, undefined, undefined],
  ['lib/firmware/x.onnx', 200 * MB, undefined, undefined],
  ['root/.cache/huggingface/hub/models--x/blobs/model.safetensors', 500 * MB, 'model-weights-in-image', ''],
  [
    'root/.cache/huggingface/hub/models--x/blobs/abc',
    500 * MB,
    'package-cache-in-image',
    '/root/.cache/huggingface',
  ],
  ['usr/lib/gcc/x86_64-linux-gnu/12/cc1', 10, 'compiler-in-image', ''],
  ['usr/lib/gcc/x86_64-linux-gnu/12/cc1plus', 10, 'compiler-in-image', ''],
  ['usr/libexec/gcc/x86_64-linux-gnu/12/lto1', 10, 'compiler-in-image', ''],
  ['usr/libexec/gcc/x86_64-linux-gnu/12/f951', 10, 'compiler-in-image', ''],
  ['opt/cc1', 10, undefined, undefined],
  ['usr/bin/gcc-12', 10, 'compiler-in-image', ''],
  ['usr/bin/gcc', 10, 'compiler-in-image', ''],
  ['usr/bin/g++', 10, 'compiler-in-image', ''],
  ['usr/bin/clang++', 10, 'compiler-in-image', ''],
  ['usr/bin/clang-15', 10, 'compiler-in-image', ''],
  ['usr/bin/clang-cpp-15', 10, 'compiler-in-image', ''],
  ['usr/bin/gfortran-12.2', 10, 'compiler-in-image', ''],
  ['usr/bin/x86_64-linux-gnu-g++-12', 10, 'compiler-in-image', ''],
  ['usr/bin/gcc-ar-12', 10, undefined, undefined],
  ['usr/local/bin/gcc', 10, 'compiler-in-image', ''],
  ['bin/gcc', 10, 'compiler-in-image', ''],
  ['usr/share/bin/gcc', 10, 'compiler-in-image', ''],
  ['usr/bin/sub/gcc', 10, undefined, undefined],
  ['usr/share/doc/gcc-12/README', 10, undefined, undefined],
  ['usr/lib/gcc/x86_64-linux-gnu/12/crtbegin.o', 10, undefined, undefined],
  ['root/.cache/pip/http/a/b', 10, 'package-cache-in-image', '/root/.cache/pip'],
  ['root/.cache/uv/wheels/x.whl', 10, 'package-cache-in-image', '/root/.cache/uv'],
  ['root/.cache/pypoetry/cache/x', 10, 'package-cache-in-image', '/root/.cache/pypoetry'],
  ['root/.cache/huggingface/token', 10, 'package-cache-in-image', '/root/.cache/huggingface'],
  ['home/app/.cache/pip/x', 10, 'package-cache-in-image', '/home/app/.cache/pip'],
  ['home/app/sub/.cache/pip/x', 10, undefined, undefined],
  ['root/.cache/other/x', 10, undefined, undefined],
  ['root/.cache/pip', 10, undefined, undefined],
  ['var/lib/apt/lists/deb.debian.org_dists_InRelease', 10, 'package-cache-in-image', '/var/lib/apt/lists'],
  ['var/lib/apt/lists/lock', 0, undefined, undefined],
  ['var/lib/apt/lists/partial/lock', 0, undefined, undefined],
  ['var/lib/apt/lists/partial/x', 10, 'package-cache-in-image', '/var/lib/apt/lists'],
  ['var/cache/apt/archives/x.deb', 10, 'package-cache-in-image', '/var/cache/apt'],
  ['var/cache/apt/pkgcache.bin', 10, 'package-cache-in-image', '/var/cache/apt'],
  ['var/cache/apk/APKINDEX.tar.gz', 10, 'package-cache-in-image', '/var/cache/apk'],
  ['root/.npm/_cacache/index-v5/x', 10, 'package-cache-in-image', '/root/.npm/_cacache'],
  ['home/node/.npm/_cacache/content-v2/x', 10, 'package-cache-in-image', '/home/node/.npm/_cacache'],
  ['root/.npm/_logs/x.log', 10, undefined, undefined],
  ['usr/local/share/.cache/yarn/v6/x', 10, 'package-cache-in-image', '/usr/local/share/.cache/yarn'],
  ['root/.cache/yarn/v6/x', 10, 'package-cache-in-image', '/root/.cache/yarn'],
  ['root/.cargo/registry/cache/x.crate', 10, 'package-cache-in-image', '/root/.cargo/registry'],
  ['root/.cargo/bin/cargo', 10, undefined, undefined],
  ['root/go/pkg/mod/cache/download/x.zip', 10, 'package-cache-in-image', '/root/go/pkg/mod/cache'],
  ['root/go/pkg/mod/github.com/x/y.go', 10, undefined, undefined],
  ['app/.git/HEAD', 10, 'git-folder-in-image', '/app/.git'],
  ['.git/config', 10, 'git-folder-in-image', '/.git'],
  ['.git/objects/pack/pack-1.pack', 200 * MB, 'git-folder-in-image', '/.git'],
  ['srv/app/.git/objects/ab', 1, 'git-folder-in-image', '/srv/app/.git'],
  ['app/.gitignore', 10, undefined, undefined],
  ['app/.github/workflows/ci.yml', 10, undefined, undefined],
  ['app/x.git/HEAD', 10, undefined, undefined],
  ['app/.git', 10, undefined, undefined],
  ['root/.cache/pip/.git/HEAD', 10, 'git-folder-in-image', '/root/.cache/pip/.git'],
  ['app/.git/lfs/objects/model.safetensors', 500 * MB, 'git-folder-in-image', '/app/.git'],
  ['usr/bin/python3', 10, undefined, undefined],
  ['app/main.py', 10, undefined, undefined],
  ['', 0, undefined, undefined],
  ['lock', 0, undefined, undefined],
  ['usr/local/lib/python3.11/site-packages/torch/lib/libtorch_cpu.so', 500 * MB, undefined, undefined],
  ['usr/local/cuda/bin/gcc', 10, 'compiler-in-image', ''],
  ['usr/local/cuda/bin/gcc', 2 * MB, 'cuda-libraries-in-image', ''],
  ['root/.cache/pip/model.safetensors', 50 * MB, 'model-weights-in-image', ''],
  ['root/.cache/pip/lib/libcudnn.so.9', 10, 'cuda-libraries-in-image', ''],
  ['var/cache/apt/archives/libcudnn.so.9', 10, 'cuda-libraries-in-image', ''],
  ['usr/lib/gcc/x86_64-linux-gnu/12/model.onnx', 50 * MB, 'model-weights-in-image', ''],
  ['usr/local/cuda/lib/gcc/cc1', 10, 'compiler-in-image', ''],
];

describe('classifyFile', () => {
  it.each(TABLE)('%s (%d bytes) → %s %s', (path, size, rule, group) => {
    const hit = classifyFile(path, size);
    expect(hit === undefined ? [undefined, undefined] : [hit.rule, hit.group]).toEqual([rule, group]);
  });
});

describe('classifyFile, by rule', () => {
  const cases: [string, number, string | undefined][] = [
    ['usr/lib/x86_64-linux-gnu/libcudnn.so.9', 10, 'cuda-libraries-in-image'],
    [
      'usr/local/lib/python3.11/site-packages/nvidia/cublas/lib/libcublasLt.so.12',
      10,
      'cuda-libraries-in-image',
    ],
    ['usr/local/lib/python3.11/site-packages/torch/lib/libtorch_cuda.so', 10, 'cuda-libraries-in-image'],
    ['usr/lib/libcudart.so.12.1.105', 10, 'cuda-libraries-in-image'],
    ['app/model.safetensors', 60 * MB, 'model-weights-in-image'],
    ['app/tiny.pt', 1000, undefined],
    ['app/model.gguf', 20 * MB, 'model-weights-in-image'],
    ['app/pytorch_model.bin', 200 * MB, 'model-weights-in-image'],
    ['app/small.bin', 2 * MB, undefined],
    ['usr/lib/gcc/x86_64-linux-gnu/12/cc1', 10, 'compiler-in-image'],
    ['usr/bin/gcc-12', 10, 'compiler-in-image'],
    ['usr/bin/x86_64-linux-gnu-g++-12', 10, 'compiler-in-image'],
    ['usr/share/doc/gcc-12/README', 10, undefined],
    ['root/.cache/pip/http/a/b', 10, 'package-cache-in-image'],
    ['var/lib/apt/lists/deb.debian.org_dists_InRelease', 10, 'package-cache-in-image'],
    ['var/lib/apt/lists/lock', 0, undefined],
    ['var/cache/apt/archives/x.deb', 10, 'package-cache-in-image'],
    ['app/.git/HEAD', 10, 'git-folder-in-image'],
    ['.git/config', 10, 'git-folder-in-image'],
    ['app/.gitignore', 10, undefined],
    ['usr/bin/python3', 10, undefined],
  ];
  for (const [file, size, rule] of cases) {
    it(`${file} → ${rule ?? 'nothing'}`, () => expect(classifyFile(file, size)?.rule).toBe(rule));
  }
  it('groups .git folders and caches by their root', () => {
    expect(classifyFile('srv/app/.git/objects/ab', 1)?.group).toBe('/srv/app/.git');
    expect(classifyFile('root/.cache/pip/x', 1)?.group).toBe('/root/.cache/pip');
  });
});
