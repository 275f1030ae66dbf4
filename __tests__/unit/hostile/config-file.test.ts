/**
 * The config file is written by whoever opens the pull request: it is read bounded, only as a
 * regular file inside the repository, and parsed in linear time; every refusal is one line naming
 * the file.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, MAX_CONFIG_BYTES, parseConfig } from '../../../src/config/load.js';
import { userErrorLine } from '../../support/user-error.js';
import { writeRepo } from '../../support/repo.js';

const lineOf = userErrorLine;

describe('hostile config files', () => {
  it.each([
    ['a symlink to a file outside the repository', '/etc/passwd', 'points outside the repository'],
    ['a symlink to a device', '/dev/zero', 'points outside the repository'],
  ])('%s is refused without being read', (_name, target, words) => {
    const root = writeRepo({ 'compose.yaml': 'services: {}\n' });
    mkdirSync(path.join(root, '.github'), { recursive: true });
    symlinkSync(target, path.join(root, '.github', 'image-budget.yml'));
    const line = lineOf(() => loadConfig(undefined, root));
    expect(line).toBe(`.github/image-budget.yml: cannot read the config file: ${words}`);
  });

  it('a file over the cap is refused with one line', () => {
    const root = writeRepo({ '.github/image-budget.yml': `# ${'x'.repeat(MAX_CONFIG_BYTES)}\n` });
    expect(lineOf(() => loadConfig(undefined, root))).toMatch(
      /^\.github\/image-budget\.yml: cannot read the config file: is larger than 1 MiB: not read$/,
    );
  });

  it('20,000 keys in one mapping parse in linear time (yaml uniqueKeys would take seconds)', () => {
    let text = 'services:\n';
    for (let i = 0; i < 20_000; i += 1) text += `  s${i}: { max-size: 1MB }\n`;
    const started = performance.now();
    const config = parseConfig(text, 'c.yml');
    expect(performance.now() - started).toBeLessThan(3000);
    expect(Object.keys(config.services)).toHaveLength(20_000);
  });

  it('a duplicate key is one line naming the file and the line of the second key', () => {
    expect(lineOf(() => parseConfig('defaults:\n  max-size: 1MB\n  max-size: 2MB\n', 'c.yml'))).toMatch(
      /^c\.yml:3: YAML error: Map keys must be unique/,
    );
  });

  it('a file that is a folder is one line', () => {
    const root = writeRepo({ x: '' });
    mkdirSync(path.join(root, '.github', 'image-budget.yml'), { recursive: true });
    writeFileSync(path.join(root, 'compose.yaml'), 'services: {}\n');
    expect(lineOf(() => loadConfig(undefined, root))).toBe(
      '.github/image-budget.yml: cannot read the config file: is a folder, not a file',
    );
  });
});
