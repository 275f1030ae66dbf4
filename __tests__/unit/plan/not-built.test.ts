/** A service of an inactive profile reaches the report and every table as "not built (profile dev)". */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { makePlan } from '../../../src/plan/make-plan.js';
import { newReport } from '../../../src/pipeline/assemble.js';
import { renderMarkdown } from '../../../src/render/markdown.js';
import { renderTerminal } from '../../../src/render/terminal.js';
import { exitVerdict } from '../../../src/budget/verdict.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'ib-not-built-'));
  mkdirSync(path.join(root, 'app'));
  writeFileSync(path.join(root, 'app/Dockerfile'), 'FROM scratch\n');
  writeFileSync(
    path.join(root, 'compose.yaml'),
    'services:\n  api:\n    build: app\n  debug:\n    build: app\n    profiles: [dev]\n',
  );
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

test('listed, not built, with the reason, in the report, the terminal and the markdown', () => {
  const report = newReport(makePlan({ root }, {}), new Date(0));
  expect(report.services.map((s) => [s.name, s.built, s.notBuilt])).toEqual([
    ['api', false, undefined],
    ['debug', false, 'profile dev'],
  ]);
  expect(renderTerminal(report)).toContain('not built (profile dev)');
  expect(renderMarkdown(report, exitVerdict(report, 'error'))).toContain('not built (profile dev)');
});
