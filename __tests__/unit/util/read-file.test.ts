import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/util/errors.js';
import { userErrorLine } from '../../support/user-error.js';
import { isInside, readTextBounded, resolveInside } from '../../../src/util/read-file.js';

function repo(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'ib-read-'));
  mkdirSync(path.join(root, 'svc'));
  writeFileSync(path.join(root, 'svc', 'Dockerfile'), '\ufeffFROM scratch\n');
  return root;
}

const lineOf = userErrorLine;

describe('readTextBounded', () => {
  it('reads a regular file inside the root, without its byte-order mark', () => {
    const root = repo();
    expect(readTextBounded('svc/Dockerfile', { root })).toBe('FROM scratch\n');
  });

  it.each([
    ['a device, whose st.size is 0', '/dev/zero', 'is not a regular file'],
    ['a folder', '/tmp', 'is a folder'],
    ['a missing file', '/nonexistent/x', 'file not found'],
  ])('refuses %s with one line', (_name, file, words) => {
    expect(lineOf(() => readTextBounded(file))).toContain(words);
  });

  it('refuses a symlink to a device inside the repository', () => {
    const root = repo();
    symlinkSync('/dev/zero', path.join(root, 'svc', 'requirements.txt'));
    expect(lineOf(() => readTextBounded('svc/requirements.txt', { root }))).toBe(
      'svc/requirements.txt: points outside the repository',
    );
  });

  it('counts bytes while reading: a file over the cap is refused', () => {
    const root = repo();
    writeFileSync(path.join(root, 'big'), 'x'.repeat(2048));
    expect(lineOf(() => readTextBounded('big', { root, maxBytes: 1024 }))).toBe(
      'big: is larger than 1024 bytes: not read',
    );
    expect(readTextBounded('big', { root, maxBytes: 2048 })).toHaveLength(2048);
  });

  it.each([
    ['a ../ path', '../outside'],
    ['an absolute path', '/etc/passwd'],
  ])('refuses %s out of the root without reading it', (_name, file) => {
    const root = repo();
    expect(lineOf(() => readTextBounded(file, { root }))).toContain('points outside the repository');
  });

  it('refuses a symlink that leaves the root, naming the link', () => {
    const root = repo();
    symlinkSync('/etc/passwd', path.join(root, 'svc', 'link'));
    expect(lineOf(() => readTextBounded('svc/link', { root }))).toBe(
      'svc/link: points outside the repository',
    );
  });
});

describe('resolveInside and isInside', () => {
  it('checks a file that does not exist yet by its parent', () => {
    const root = repo();
    expect(resolveInside(root, 'svc/new-file')).toMatch(/svc\/new-file$/);
    expect(() => resolveInside(root, 'svc/../../x')).toThrow(UserError);
  });

  it.each([
    ['/a', '/a', true],
    ['/a', '/a/b', true],
    ['/a', '/ab', false],
    ['/a', '/', false],
  ])('isInside(%s, %s) is %s', (parent, child, expected) => {
    expect(isInside(parent, child)).toBe(expected);
  });
});
