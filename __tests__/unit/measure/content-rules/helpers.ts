import { expect, it } from 'vitest';
import type { ContentRule } from '../../../../src/measure/content-rules/index.js';
import { classifyFile } from '../../../../src/measure/contents.js';

export const MB = 1024 * 1024;

/** A file of an image (path relative to its root, size) and the group the rule gives it. */
export type Catch = [path: string, size: number, group: string];
/** A file the rule leaves alone, and why. */
export type Miss = [path: string, size: number, why: string];

/**
 * A content rule's spec, as the lint rules' are: the files it catches (through classifyFile, so the
 * order of the rules is part of it) and the ones it does not.
 */
export function contentSpec(rule: ContentRule, catches: Catch[], misses: Miss[]): void {
  it.each(catches)(`catches %s (%d bytes) as group "%s"`, (path, size, group) => {
    expect(classifyFile(path, size)).toEqual({ rule, group });
  });
  it.each(misses)(`does not catch %s (%d bytes): %s`, (path, size) => {
    expect(classifyFile(path, size)?.rule).not.toBe(rule);
  });
}
