import { describe } from 'vitest';
import { contentSpec } from './helpers.js';

describe('compiler-in-image', () => {
  contentSpec(
    'compiler-in-image',
    [
      ['usr/lib/gcc/x86_64-linux-gnu/12/cc1', 10, ''],
      ['usr/libexec/gcc/x86_64-linux-gnu/12/lto1', 10, ''],
      ['usr/bin/gcc-12', 10, ''],
      ['usr/bin/x86_64-linux-gnu-g++-12', 10, ''],
      ['usr/bin/clang-cpp-15', 10, ''],
      ['usr/bin/gfortran-12.2', 10, ''],
      ['bin/gcc', 10, ''],
      ['usr/local/cuda/bin/gcc', 10, ''],
    ],
    [
      ['opt/cc1', 10, 'cc1 outside a gcc folder'],
      ['usr/bin/gcc-ar-12', 10, 'an archiver wrapper'],
      ['usr/bin/sub/gcc', 10, 'not directly in a bin folder'],
      ['usr/share/doc/gcc-12/README', 10, 'documentation'],
      ['usr/lib/gcc/x86_64-linux-gnu/12/crtbegin.o', 10, 'a runtime object'],
    ],
  );
});
