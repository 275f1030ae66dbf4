/** docs/deploy.md and the deploy rules' pages: every example is what the code does with it. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { cli } from '../../../src/cli/main.js';
import { parseConfig } from '../../../src/config/load.js';
import { DEPLOY_RULES, assessService } from '../../../src/deploy/index.js';
import { parseDockerfile } from '../../../src/dockerfile/index.js';
import { renderMarkdown } from '../../../src/render/markdown.js';
import { exitVerdict } from '../../../src/budget/verdict.js';
import type { Report } from '../../../src/report/model.js';
import { trendText } from '../../../src/render/trend.js';
import { writeRepo } from '../../support/repo.js';
import { SEEDS_COMPOSE, SEEDS_REPO, specsOf } from './spec.js';

const root = path.resolve(import.meta.dirname, '../../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const blocks = (text: string, lang: string) =>
  [...text.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((m) => m[1]!);
const page = read('docs/deploy.md');

describe('docs/deploy.md', () => {
  test("its compose file is the seeds' fixture the CLI tests run", () => {
    expect(blocks(page, 'yaml')[0]).toBe(SEEDS_COMPOSE);
  });

  test('what it shows of the comment is what the comment holds', async () => {
    let out = '';
    const io = {
      stdout: (t: string) => void (out += t),
      stderr: () => undefined,
      env: {},
      cwd: writeRepo(SEEDS_REPO),
    };
    expect(await cli(['check', '--lint-only', '--host-memory', '2GB', '--json'], io)).toBe(1);
    const report = JSON.parse(out) as Report;
    const markdown = renderMarkdown(report, exitVerdict(report, 'error'));
    const shown = blocks(page, 'markdown');
    expect(shown).toHaveLength(2);
    for (const block of shown) expect(markdown).toContain(block.trimEnd());
  });

  test('its config example is read as the page says', () => {
    const config = parseConfig(blocks(page, 'yaml')[1]!, 'docs/deploy.md');
    expect(config.host).toEqual({ memory: 2e9 });
    expect(config.maxWallTime).toBe(30 * 60_000);
    expect(config.services['whatsapp-agent']?.healthcheck).toBe('error');
    expect(config.services['seed-data']?.healthcheck).toBe('off');
  });

  test("its history example is the terminal's", () => {
    const run = (sha: string, api: number) => ({
      sha,
      date: '2026-11-30T10:00:00.000Z',
      services: { api: { size: api * 1e6 }, web: { size: 5e6 } },
    });
    const [console] = blocks(page, 'console').slice(-1);
    expect(trendText([run('aaaaaaa1', 100), run('bbbbbbb2', 120)])).toBe(console);
  });
});

describe('deploy rules pages', () => {
  const index = read('docs/rules/README.md');
  test.each(DEPLOY_RULES.map((id) => [id]))('%s: bad example caught, good one not', (id) => {
    const text = read(`docs/rules/${id}.md`);
    expect(text).toMatch(new RegExp(`^# ${id}\\n`));
    for (const h of ['## Bad', '## Good', '## Fix']) expect(text).toContain(h);
    expect(index).toContain(`(${id}.md)`);
    const [bad, good] = blocks(text, 'yaml');
    const rules = (compose: string) => {
      const [spec] = specsOf(compose);
      return assessService(
        {
          name: 'x',
          spec: spec!,
          all: [spec!],
          imageOnly: false,
          dockerfileModel: parseDockerfile('FROM a\n'),
          imageFiles: new Set(['usr/local/bin/python', 'usr/local/bin/python3']), // python:3.12-slim's
        },
        { hostMemory: 2e9, healthcheck: 'warning' },
      ).findings.map((f) => f.rule);
    };
    expect(rules(bad!)).toContain(id);
    expect(rules(good!)).not.toContain(id);
  });
});
