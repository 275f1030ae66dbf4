/** Copies of the example repository for tests that build it (the original is never touched). */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

export function copyExample(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ib-example-'));
  cpSync(path.join(REPO_ROOT, 'examples/platform'), dir, { recursive: true });
  return dir;
}
