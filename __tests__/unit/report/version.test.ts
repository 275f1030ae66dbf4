import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { TOOL_VERSION } from '../../../src/report/model.js';

test('the version in every report is the package version', () => {
  const pkg = JSON.parse(
    readFileSync(path.resolve(import.meta.dirname, '../../../package.json'), 'utf8'),
  ) as { version: string };
  expect(TOOL_VERSION).toBe(pkg.version);
});
