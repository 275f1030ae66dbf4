import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDockerfile, targetStage } from '../../../src/dockerfile/index.js';
import { Docker } from '../../../src/docker/exec.js';
import { analyzeImage, shortInstruction, summarize } from '../../../src/measure/analyze.js';
import { parseHistoryRows } from '../../../src/measure/history.js';
import type { SavedImage } from '../../../src/measure/save-archive.js';
import { UserError } from '../../../src/util/errors.js';
import { LAYERS, saveArchive } from './archive-fixture.js';

describe('shortInstruction', () => {
  it('shortens instructions for messages', () => {
    expect(shortInstruction('RUN |1 TORCH=cpu /bin/sh -c pip install -r requirements.txt # buildkit')).toBe(
      'RUN pip install -r requirements.txt',
    );
    expect(shortInstruction('/bin/sh -c #(nop) ADD file:x in / ')).toBe('ADD file:x in /');
  });
});

describe('analyzeImage with a stand-in docker CLI', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'measure-'));
  const fakeDocker = (archive: Buffer, saveTail = ''): Docker => {
    const archivePath = path.join(dir, `archive-${Math.random()}.tar`);
    writeFileSync(archivePath, archive);
    const script = path.join(dir, `docker-${Math.random()}.sh`);
    writeFileSync(
      script,
      [
        '#!/bin/sh',
        'case "$1" in',
        `  save) cat '${archivePath}'; ${saveTail || 'exit 0'} ;;`,
        `  image) echo '{"CreatedBy":"RUN /bin/sh -c rm -rf /big.dat /dir # buildkit","Size":"1234"}'; echo '{"CreatedBy":"ENV A=b","Size":"0"}'; echo '{"CreatedBy":"RUN /bin/sh -c pip install torch # buildkit","Size":"12345678"}'; echo '{"CreatedBy":"/bin/sh -c #(nop) ADD file:abc in / ","Size":"9000"}' ;;`,
        'esac',
      ].join('\n'),
    );
    chmodSync(script, 0o755);
    return new Docker(script);
  };

  it('reports layers with their measured sizes (not the history rows), findings with Dockerfile lines', async () => {
    const { archive } = await saveArchive(LAYERS, { layout: 'legacy', emptyBefore: { 2: 'ENV A=b' } });
    const analysis = await analyzeImage(fakeDocker(archive), 'fixture:latest', {
      dockerfile: 'svc/Dockerfile',
      steps: parseDockerfile('FROM busybox\n\nRUN pip install torch\nENV A=b\nRUN rm -rf /big.dat /dir\n')
        .stages[0]!.instrs,
    });
    // The history rows of the stand-in CLI say 9000, 12,345,678 and 1234: the sizes come from the
    // layers' own files (and symlink targets), as on the containerd store the history is snapshot usage.
    expect(analysis.layers.map((layer) => layer.size)).toEqual([9110, 13_111_733, 467]);
    expect(analysis.uncompressedSize).toBe(9110 + 13_111_733 + 467);
    expect(analysis.wastedBytes).toBe(6000);
    expect(analysis.findings.map((finding) => [finding.rule, finding.line])).toEqual([
      ['model-weights-in-image', 3],
      ['package-cache-in-image', 3],
      ['cuda-libraries-in-image', 3],
      ['compiler-in-image', 1],
      ['git-folder-in-image', 3],
    ]);
    // Each reads as about its step; the base image's on the FROM line; the bytes and place as data too.
    expect(analysis.findings[0]!.message).toBe(
      'Line 3 (RUN pip install torch) writes 11.5MB of model weights into the image: /models/model.safetensors',
    );
    expect(analysis.findings[3]!.message).toBe(
      'The base image (FROM on line 1) brings 3kB of compiler files: /usr/lib/gcc/x86_64-linux-gnu/12/cc1 and 1 more file, in layer 1 of 3 (ADD file:abc in /)',
    );
    expect(analysis.findings.map((finding) => finding.imageEvidence?.layer)).toEqual([2, 2, 2, 1, 2]);
    expect(analysis.findings[0]!.imageEvidence).toEqual({
      rule: 'model-weights-in-image',
      bytes: 11 * 1024 * 1024,
      files: 1,
      path: '/models/model.safetensors',
      layer: 2,
    });
    // Several files: the folder their largest share; a cache: its folder.
    expect(analysis.findings[3]!.imageEvidence).toMatchObject({ files: 2, path: '/usr', layer: 1 });
    expect(analysis.findings[1]!.imageEvidence).toMatchObject({ files: 1, path: '/root/.cache/pip' });
  });

  it('reports an image removed mid-analysis as one line', async () => {
    const { archive } = await saveArchive(LAYERS, { layout: 'legacy' });
    const docker = fakeDocker(
      archive.subarray(0, 20_000),
      'echo "Error response from daemon: No such image: fixture:latest" >&2; exit 1',
    );
    const error = await analyzeImage(docker, 'fixture:latest').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(
      'cannot analyse fixture:latest: docker save failed (exit 1): No such image: fixture:latest',
    );
  });

  it('reports a missing docker CLI as one line', async () => {
    const error = await analyzeImage(new Docker(path.join(dir, 'nope')), 'x').catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/docker CLI .* was not found/);
  });
});

/**
 * summarize: layer lines and wasted-bytes findings from what the two real engines printed for the Bad and
 * Good examples of docs/rules/deleted-in-later-layer.md (captured in __fixtures__/measure/; see
 * its README): `docker save` scanned, `docker image history`, `docker image inspect`.
 */
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
