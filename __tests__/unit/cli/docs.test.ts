/** docs/cli.md: every command parses, and the output it shows is what the renderer prints. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseCli } from '../../../src/cli/args.js';
import { exitVerdict } from '../../../src/budget/verdict.js';
import { renderTerminal } from '../../../src/render/terminal.js';
import { markAgainst } from '../../../src/report/marks.js';
import type { Report } from '../../../src/report/model.js';
import { MB, report, service } from '../report/fixtures.js';

const root = path.resolve(import.meta.dirname, '../../..');
const page = readFileSync(path.join(root, 'docs/cli.md'), 'utf8');
const blocks = (lang: string) =>
  [...page.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((m) => m[1]!);

const TORCH = {
  rule: 'cuda-torch',
  severity: 'error' as const,
  file: 'services/rag/requirements.txt',
  line: 3,
  message: '`torch` from PyPI is the CUDA build on Linux (~2-8 GB with its nvidia-* wheels)',
  fix: 'install the CPU build: add `--index-url https://download.pytorch.org/whl/cpu` (or pin `torch==X.Y.Z+cpu`), or declare the service `gpu: true`',
};

/** The page's example: a PR that fixed api, made rag grow, and broke the voice build. */
function example(): Report {
  const growth = {
    service: 'rag',
    budget: 'max-growth',
    limit: 50 * MB,
    actual: 160 * MB,
    unit: 'bytes' as const,
    severity: 'error' as const,
    message: 'rag: grew +160MB (104MB → 264MB), over max-growth 50MB',
  };
  const size = (name: string, mb: number) => ({
    service: name,
    budget: 'max-size',
    limit: 250 * MB,
    actual: mb * MB,
    unit: 'bytes' as const,
    severity: 'error' as const,
    message: `${name}: size ${mb}MB, over max-size 250MB`,
  });
  const base = report([
    service('api', 263, { violations: [size('api', 263)] }),
    service('rag', 104),
    service('voice', 900),
  ]);
  const built = (name: string, mb: number, compressed: number, seconds: number) => ({
    image: {
      id: `sha256:${name}`,
      tag: `image-budget/${name}:3f9c2ab`,
      size: mb * MB,
      compressedSize: compressed * MB,
      layers: 9,
    },
    build: {
      status: 'success' as const,
      durationMs: seconds * 1000,
      steps: [],
      executedSteps: 2,
      cachedSteps: 7,
    },
  });
  const head = report(
    [
      service('api', 104, built('api', 104, 38, 21)),
      service('rag', 264, {
        ...built('rag', 264, 97, 48),
        findings: [TORCH],
        violations: [size('rag', 264), growth],
      }),
      service('voice', undefined, {
        build: {
          status: 'failed',
          durationMs: 6_400,
          exitCode: 1,
          logTail: [
            '#9 [voice 4/6] RUN pip install --no-cache-dir -r requirements.txt',
            '#9 5.912 ERROR: Could not find a version that satisfies the requirement TTS==0.99',
            '#9 5.913 ERROR: No matching distribution found for TTS==0.99',
            '#9 ERROR: process "/bin/sh -c pip install --no-cache-dir -r requirements.txt" did not complete successfully: exit code: 1',
          ],
          logFile: '/tmp/image-budget/1733090000000-4242/builds/voice.build.log',
        },
        error: {
          message:
            'step "[voice 4/6] RUN pip install --no-cache-dir -r requirements.txt" failed: exit code: 1',
          file: 'services/voice/Dockerfile',
          line: 4,
        },
      }),
      service('db', undefined, { imageRef: 'postgres:16-alpine' }),
    ],
    { durationMs: 41_000, phases: { lintMs: 300, buildsMs: 35_000, analysisMs: 12_000, baselineMs: 4 } },
  );
  return markAgainst(base, head);
}

describe('docs/cli.md', () => {
  test('every command it shows is one the CLI takes', () => {
    const commands = blocks('sh')
      .flatMap((b) => b.split('\n'))
      .map((l) => l.replace(/\s+#.*$/, '').trim())
      .filter((l) => l.startsWith('image-budget '));
    expect(commands.length).toBeGreaterThan(3);
    for (const line of commands) expect(() => parseCli(line.split(/\s+/).slice(1))).not.toThrow();
  });

  test('the output it shows is what check prints for its example', () => {
    const r = example();
    const printed = `${renderTerminal(r, { width: 100, baseline: 'base.json' })}\n${exitVerdict(r, 'error').summary}\n`;
    if (process.env.PRINT_EXAMPLE) console.log(printed);
    expect(blocks('text')[0]).toBe(printed);
  });
});
