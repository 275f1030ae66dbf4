/**
 * What is inside a layer: the heavy things a developer wants to know about (CUDA libraries, model
 * weights, compilers, package caches, `.git` folders), tallied per layer from the tar headers alone.
 */
import { CONTENT_RULES, contentRule, type ContentRule } from './content-rules/index.js';

export type { ContentRule } from './content-rules/index.js';

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

/**
 * The rule (and group) a regular file falls under, if any: the first of the content rules that
 * claims it. `path` is relative to the image root, POSIX, without a leading slash.
 */
export function classifyFile(path: string, size: number): { rule: ContentRule; group: string } | undefined {
  const base = path.slice(path.lastIndexOf('/') + 1);
  for (const rule of CONTENT_RULES) {
    const group = rule.classify(path, base, size);
    if (group !== undefined) return { rule: rule.id, group };
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
      .filter((group) => group.bytes >= contentRule(group.rule).minBytes)
      .sort((a, b) => b.bytes - a.bytes);
  }
}
