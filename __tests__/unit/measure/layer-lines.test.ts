/**
 * Layer lines and wasted-bytes findings from what the two real engines printed for the Bad and
 * Good examples of docs/rules/deleted-in-later-layer.md (captured in __fixtures__/measure/; see
 * its README): `docker save` scanned, `docker image history`, `docker image inspect`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDockerfile, targetStage } from '../../../src/dockerfile/index.js';
import { summarize } from '../../../src/measure/analyze.js';
import { parseHistoryRows } from '../../../src/measure/history.js';
import type { SavedImage } from '../../../src/measure/save-archive.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = path.join(repo, '__fixtures__/measure');
const read = (...parts: string[]): string => readFileSync(path.join(fixtures, ...parts), 'utf8');

function analysed(example: 'bad' | 'good', engine: 'legacy' | 'modern') {
  const saved = JSON.parse(read(`waste-${example}`, engine, 'saved-image.json')) as SavedImage;
  const rows = parseHistoryRows(read(`waste-${example}`, engine, 'history.jsonl'));
  const steps = targetStage(parseDockerfile(read(`waste-${example}`, 'Dockerfile')))?.instrs ?? [];
  return summarize(saved, rows, `ib-fixture-lines/${example}:capture`, { dockerfile: 'Dockerfile', steps });
}

const wasteFindings = (analysis: ReturnType<typeof analysed>) =>
  analysis.findings.filter((finding) => finding.rule === 'deleted-in-later-layer');

describe.each(['legacy', 'modern'] as const)('captured on the %s engine', (engine) => {
  it('gives each layer the line of its instruction, and the base image none', () => {
    const { layers } = analysed('bad', engine);
    // 4 layers of the base image, then WORKDIR (2), COPY (3), RUN (4), RUN (7); ENV and CMD make none.
    expect(layers.map((layer) => layer.line)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      2,
      3,
      4,
      7,
    ]);
    expect(layers[5]!.createdBy).toContain('COPY vendor.tar /tmp/vendor.tar');
  });

  it('reports the bytes the Bad example wastes on the lines that wrote them', () => {
    const analysis = analysed('bad', engine);
    // Plus, on the classic store, the base image's own: its `chmod` of the files its COPY added.
    const base = engine === 'legacy' ? 18_915 : 0;
    expect(analysis.wastedBytes).toBe(12_011_520 + 11_000_000 + base);
    expect(wasteFindings(analysis)).toEqual([
      {
        rule: 'deleted-in-later-layer',
        severity: 'warning',
        file: 'Dockerfile',
        line: 3,
        message: 'Line 3 adds 12MB that line 7 deletes (/tmp/vendor.tar): do not copy it in',
        fix: expect.stringContaining('.dockerignore') as string,
        source: 'image',
      },
      {
        rule: 'deleted-in-later-layer',
        severity: 'warning',
        file: 'Dockerfile',
        line: 4,
        message: 'Line 4 adds 11MB that line 7 deletes (/tmp/build-cache.bin): remove it in the same RUN',
        fix: expect.stringContaining('in the RUN that creates them') as string,
        source: 'image',
      },
    ]);
  });

  it('finds nothing in the Good example', () => {
    const analysis = analysed('good', engine);
    expect(analysis.wastedBytes).toBe(engine === 'legacy' ? 18_915 : 0);
    expect(wasteFindings(analysis)).toEqual([]);
    expect(analysis.layers.map((layer) => layer.line)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      2,
      3,
    ]);
  });

  it('docker image inspect names the same layers as docker save', () => {
    const inspect = JSON.parse(read('waste-bad', engine, 'inspect.json')) as { RootFS: { Layers: string[] } };
    expect(inspect.RootFS.Layers).toHaveLength(analysed('bad', engine).layers.length);
  });
});

describe('docs/rules/deleted-in-later-layer.md', () => {
  const page = readFileSync(path.join(repo, 'docs/rules/deleted-in-later-layer.md'), 'utf8');
  const example = (heading: string): string =>
    /```dockerfile\n([\s\S]*?)```/.exec(page.slice(page.indexOf(`## ${heading}\n`)))![1]!;
  // The captures use the engines' offline stand-in for python:3.12-slim.
  const offline = (text: string): string =>
    text.replace(/^FROM python:3\.12-slim$/m, 'FROM image-budget/example-python:offline');

  it.each([
    ['Bad', 'bad'],
    ['Good', 'good'],
  ])('the %s example is the one captured', (heading, example_) => {
    expect(offline(example(heading))).toBe(read(`waste-${example_}`, 'Dockerfile'));
  });

  it('shows the messages the Bad example gives', () => {
    for (const finding of wasteFindings(analysed('bad', 'legacy'))) {
      expect(page).toContain(`Dockerfile:${finding.line}: ${finding.message}`);
    }
  });
});
