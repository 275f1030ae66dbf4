/** A compiler in the final image: gcc's own programs (cc1, lto1) or a compiler driver in a bin folder. */
import type { ContentRuleModule } from './types.js';

const COMPILER_BINARY = /^(?:[\w.-]+-)?(?:gcc|g\+\+|gfortran|clang|clang\+\+|clang-cpp)(?:-\d+(?:\.\d+)*)?$/;
const COMPILER_PROPER = new Set(['cc1', 'cc1plus', 'cc1obj', 'lto1', 'f951']);
const IN_BIN = /(?:^|\/)bin\/[^/]+$/;

export const compilerInImage: ContentRuleModule = {
  id: 'compiler-in-image',
  what: 'a compiler',
  noun: 'compiler files',
  fix: 'Build in an earlier stage and copy only the results into the final stage.',
  minBytes: 0,
  confirms: ['toolchain-in-final-stage'],
  anywhereInFinalStage: true,
  classify(path, base) {
    if (COMPILER_PROPER.has(base) && path.includes('/gcc/')) return '';
    if (COMPILER_BINARY.test(base) && IN_BIN.test(path)) return '';
    return undefined;
  },
};
