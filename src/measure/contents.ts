/**
 * What is inside a layer: the heavy things a developer wants to know about (CUDA libraries, model
 * weights, compilers, package caches, `.git` folders), tallied per layer from the tar headers alone.
 */
import { RULE_REGISTRY, type RuleMeta } from '../rules/registry.js';

export type ContentRule =
  | 'cuda-libraries-in-image'
  | 'model-weights-in-image'
  | 'compiler-in-image'
  | 'package-cache-in-image'
  | 'git-folder-in-image';

/** The image-content rules, as the registry (src/rules/registry.ts) lists them. */
export const CONTENT_RULE_META: readonly (RuleMeta & { id: ContentRule })[] = RULE_REGISTRY.filter(
  (r): r is RuleMeta & { id: ContentRule } => r.kind === 'image',
);
export const CONTENT_RULES: readonly ContentRule[] = CONTENT_RULE_META.map((r) => r.id);

/** Files of one rule in one layer; `group` separates e.g. two `.git` folders or two caches. */
export interface ContentGroup {
  rule: ContentRule;
  /** Folder the group is about (`/root/.cache/pip`, `/app/.git`), or empty for rule-wide groups. */
  group: string;
  bytes: number;
  files: number;
  /** The largest files, largest first (at most 3), paths absolute in the image. */
  largest: { path: string; size: number }[];
}

const MIB = 1024 * 1024;
/** Weights smaller than this are test fixtures or tokenizers, not models. */
const MIN_WEIGHT_FILE = 10 * MIB;
/** `*.bin` is a generic extension: only a big one is taken for weights. */
const MIN_BIN_WEIGHT_FILE = 100 * MIB;
/** A cache that small (an empty apt lists folder) is not worth a finding. */
const MIN_CACHE_BYTES = 1 * MIB;

const CUDA_LIBRARY =
  /^lib(?:cudnn|cublas|cublasLt|cudart|cufft|cufftw|curand|cusolver|cusolverMg|cusparse|cusparseLt|nccl|nvrtc|nvJitLink|cupti|nvToolsExt|nvinfer|cufile|npp\w*|torch_cuda|c10_cuda)[\w.-]*\.so(?:\.[\d.]+)?$/;
const NVIDIA_WHEELS = /(?:^|\/)(?:site|dist)-packages\/nvidia\//;
const WEIGHTS = /\.(?:safetensors|gguf|ggml|onnx|pt|pth|ckpt|h5|tflite)$/i;
const COMPILER_BINARY = /^(?:[\w.-]+-)?(?:gcc|g\+\+|gfortran|clang|clang\+\+|clang-cpp)(?:-\d+(?:\.\d+)*)?$/;
const COMPILER_PROPER = new Set(['cc1', 'cc1plus', 'cc1obj', 'lto1', 'f951']);
const CACHE_ROOTS: readonly RegExp[] = [
  /^(root|home\/[^/]+)\/\.cache\/(pip|uv|pypoetry|huggingface)\//,
  /^var\/lib\/apt\/lists\//,
  /^var\/cache\/apt\//,
  /^var\/cache\/apk\//,
  /^(root|home\/[^/]+)\/\.npm\/_cacache\//,
  /^usr\/local\/share\/\.cache\/yarn\//,
  /^(root|home\/[^/]+)\/\.cache\/yarn\//,
  /^(root|home\/[^/]+)\/\.cargo\/registry\//,
  /^(root|home\/[^/]+)\/go\/pkg\/mod\/cache\//,
];

/**
 * The rule (and group) a regular file falls under, if any. `path` is relative to the image root,
 * POSIX, without a leading slash.
 */
export function classifyFile(path: string, size: number): { rule: ContentRule; group: string } | undefined {
  const slash = path.lastIndexOf('/');
  const base = path.slice(slash + 1);
  const gitAt = path.startsWith('.git/') ? 0 : path.indexOf('/.git/');
  if (gitAt >= 0)
    return { rule: 'git-folder-in-image', group: `/${path.slice(0, gitAt === 0 ? 4 : gitAt + 5)}` };
  if (CUDA_LIBRARY.test(base) || NVIDIA_WHEELS.test(path) || path.startsWith('usr/local/cuda')) {
    if (base.includes('.so') || NVIDIA_WHEELS.test(path) || size >= MIB)
      return { rule: 'cuda-libraries-in-image', group: '' };
  }
  if (WEIGHTS.test(base) ? size >= MIN_WEIGHT_FILE : base.endsWith('.bin') && size >= MIN_BIN_WEIGHT_FILE) {
    if (!/^(?:var\/cache\/apt|usr\/lib\/firmware|lib\/firmware)\//.test(path))
      return { rule: 'model-weights-in-image', group: '' };
  }
  if (COMPILER_PROPER.has(base) && path.includes('/gcc/')) return { rule: 'compiler-in-image', group: '' };
  if (COMPILER_BINARY.test(base) && /(?:^|\/)bin\/[^/]+$/.test(path))
    return { rule: 'compiler-in-image', group: '' };
  for (const root of CACHE_ROOTS) {
    const match = root.exec(path);
    if (match) {
      if (base === 'lock') return undefined;
      return { rule: 'package-cache-in-image', group: `/${match[0].replace(/\/$/, '')}` };
    }
  }
  return undefined;
}

/** Adds up the content groups of one layer as its entries stream past. */
export class ContentTally {
  private readonly groups = new Map<string, ContentGroup>();

  addFile(path: string, size: number): void {
    const hit = classifyFile(path, size);
    if (!hit) return;
    const key = `${hit.rule}\0${hit.group}`;
    let group = this.groups.get(key);
    if (!group) {
      group = { rule: hit.rule, group: hit.group, bytes: 0, files: 0, largest: [] };
      this.groups.set(key, group);
    }
    group.bytes += size;
    group.files += 1;
    const largest = group.largest;
    if (largest.length < 3 || size > largest[largest.length - 1]!.size) {
      largest.push({ path: `/${path}`, size });
      largest.sort((a, b) => b.size - a.size);
      if (largest.length > 3) largest.pop();
    }
  }

  /** The groups worth a finding, biggest first. */
  result(): ContentGroup[] {
    return [...this.groups.values()]
      .filter((group) => group.rule !== 'package-cache-in-image' || group.bytes >= MIN_CACHE_BYTES)
      .sort((a, b) => b.bytes - a.bytes);
  }
}
