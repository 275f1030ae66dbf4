import type { Facts, Loc } from '../analysis.js';
import type { ContextListing } from '../context-files.js';

export interface RuleMeta {
  id: string;
  severity: 'error' | 'warning';
  description: string;
  /** Path of the rule's page, relative to the repository root. */
  docs: string;
}

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

export function meta(id: string, severity: 'error' | 'warning', description: string): RuleMeta {
  return { id, severity, description, docs: `docs/rules/${id}.md` };
}
