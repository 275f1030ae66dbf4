/**
 * The image-content rules, one module each: the one list the layer tally and the findings read.
 * Their ids, severities and docs are in src/rules/registry.ts.
 */
import { compilerInImage } from './compiler-in-image.js';
import { cudaLibrariesInImage } from './cuda-libraries-in-image.js';
import { gitFolderInImage } from './git-folder-in-image.js';
import { modelWeightsInImage } from './model-weights-in-image.js';
import { packageCacheInImage } from './package-cache-in-image.js';
import type { ContentRule, ContentRuleModule } from './types.js';

export type { ContentRule, ContentRuleModule } from './types.js';

/**
 * In the order a file is offered to them: the first that claims it has it (weights inside a `.git`
 * folder are git history; CUDA libraries in a cache are CUDA libraries).
 */
export const CONTENT_RULES: readonly ContentRuleModule[] = [
  gitFolderInImage,
  cudaLibrariesInImage,
  modelWeightsInImage,
  compilerInImage,
  packageCacheInImage,
];

const BY_ID = new Map<string, ContentRuleModule>(CONTENT_RULES.map((rule) => [rule.id, rule]));

export function contentRule(id: ContentRule): ContentRuleModule {
  return BY_ID.get(id)!;
}

/** The content rule of a finding's rule id, if it is one. */
export function contentRuleOf(id: string): ContentRuleModule | undefined {
  return BY_ID.get(id);
}
