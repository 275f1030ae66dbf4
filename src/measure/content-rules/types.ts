/**
 * An image-content rule: what it finds in a layer's files, and how a finding reads. Its id,
 * severity, description and docs page are its entry in src/rules/registry.ts.
 */

export type ContentRule =
  | 'cuda-libraries-in-image'
  | 'model-weights-in-image'
  | 'compiler-in-image'
  | 'package-cache-in-image'
  | 'git-folder-in-image';

export interface ContentRuleModule {
  /** The rule's entry in src/rules/registry.ts. */
  id: ContentRule;
  /** What was found, as a message's subject: `a compiler`. */
  what: string;
  /** What was found, as a quantity: `… writes 3MB of compiler files`. */
  noun: string;
  fix: string;
  /** A group smaller than this is no finding (an empty apt lists folder); 0 for none. */
  minBytes: number;
  /**
   * The lint rules that predict what this rule finds: a lint finding of one of them on the step
   * that wrote the files is confirmed by this rule's finding instead of repeated (pipeline/confirm.ts).
   */
  confirms: readonly string[];
  /**
   * The files are the final stage's as a whole (CUDA libraries, compilers): a finding whose layer
   * matched no step still confirms a lint finding anywhere in the final stage.
   */
  anywhereInFinalStage: boolean;
  /**
   * The group a regular file falls into (the folder it is about, `/root/.cache/pip`, or `''` for
   * the whole rule), or undefined if the rule does not claim it. `path` is relative to the image
   * root, POSIX, without a leading slash; `base` its last segment. Runs once per file of every
   * layer: no allocation unless the rule claims the file.
   */
  classify(path: string, base: string, size: number): string | undefined;
}

export const MIB = 1024 * 1024;
