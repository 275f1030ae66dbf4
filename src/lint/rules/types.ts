import { type RuleMeta, ruleMeta } from '../../rules/registry.js';
import type { Facts, Loc } from '../analysis.js';
import type { ContextListing } from '../context-files.js';

export type { RuleMeta } from '../../rules/registry.js';

export interface RawFinding {
  rule: string;
  loc: Loc;
  message: string;
  fix?: string;
}

export interface DockerignoreInput {
  /** Finding path of the .dockerignore in use, or of where it should be. */
  file: string;
  /** Its text; absent when the context has none. */
  text?: string;
  /** The build context's files, when some COPY sends a folder. */
  listing?: ContextListing;
  /** COPY/ADD sources that are folders of the context (`.` for the whole context). */
  copiedDirs: { source: string; loc: Loc }[];
  /** When the junk is worth a finding: at least `minBytes`, or `minShare` of what is sent. */
  threshold?: { minBytes: number; minShare: number };
}

export interface RuleInput {
  facts: Facts;
  gpu: boolean;
  dockerignore?: DockerignoreInput;
}

export interface Rule {
  meta: RuleMeta;
  check(input: RuleInput): RawFinding[];
}

/** A rule module's metadata, from the one registry (src/rules/registry.ts). */
export const meta = ruleMeta;
