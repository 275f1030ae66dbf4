import { describe } from 'vitest';
import { MB, contentSpec } from './helpers.js';

describe('cuda-libraries-in-image', () => {
  contentSpec(
    'cuda-libraries-in-image',
    [
      ['usr/lib/x86_64-linux-gnu/libcudnn.so.9', 10, ''],
      ['usr/lib/libcudart.so.12.1.105', 10, ''],
      ['usr/lib/libnppig.so.12', 10, ''],
      ['usr/local/lib/python3.11/site-packages/nvidia/cublas/lib/libcublasLt.so.12', 10, ''],
      ['usr/lib/python3/dist-packages/nvidia/__init__.py', 0, ''],
      ['usr/local/lib/python3.11/site-packages/torch/lib/libtorch_cuda.so', 10, ''],
      ['usr/local/cuda-12.1/lib64/libfoo.so', 10, ''],
      ['usr/local/cuda/bin/nvcc', 2 * MB, ''],
      ['var/cache/apt/archives/libcudnn.so.9', 10, ''],
    ],
    [
      ['usr/lib/libcuda.so.1', 10, 'the driver stub, not the toolkit'],
      ['usr/lib/libcudart_static.a', 10, 'a static archive'],
      ['usr/local/cuda/bin/nvcc', 10, 'a small file under /usr/local/cuda'],
      ['usr/local/lib/python3.11/site-packages/torch/lib/libtorch_cpu.so', 500 * MB, 'the CPU build'],
      ['app/.git/objects/libcudnn.so.9', 10, 'inside a .git folder: git history'],
    ],
  );
});
