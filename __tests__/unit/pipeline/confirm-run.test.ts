/**
 * The image confirms the lint, end to end without an engine: a repository linted by the pipeline
 * (`lintPlan`), its image's `docker save` analysed (`summarize` on a built archive whose layers are
 * the Dockerfile's steps), the image findings put on the service as the measure step does, then
 * `applyRuleSettings` and `confirmLint` as `runPipeline` runs them. Each problem is reported once.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { emptyConfig, type Config } from '../../../src/config/schema.js';
import { targetStage } from '../../../src/dockerfile/index.js';
import { Docker } from '../../../src/docker/exec.js';
import { summarize } from '../../../src/measure/analyze.js';
import { scanSaveArchive } from '../../../src/measure/save-archive.js';
import { newReport } from '../../../src/pipeline/assemble.js';
import { readDockerfiles } from '../../../src/pipeline/dockerfiles.js';
import { applyRuleSettings, confirmLint, lintPlan } from '../../../src/pipeline/lint.js';
import type { Plan } from '../../../src/plan/model.js';
import { silentLog } from '../../../src/util/log.js';
import { saveArchive, streamOf, type FixtureLayer } from '../measure/archive-fixture.js';

const MIB = 1024 * 1024;

const DOCKERFILE = [
  'FROM python:3.12-slim',
  'WORKDIR /app',
  'COPY requirements.txt download.py ./',
  'RUN pip install --no-cache-dir \\',
  '    -r requirements.txt',
  'RUN python download.py',
  'CMD ["python", "-m", "http.server"]',
  '',
].join('\n');

/** The image as the engine would save it: a base layer, then one layer per step that makes one. */
const LAYERS: FixtureLayer[] = [
  { createdBy: '/bin/sh -c #(nop) ADD file:base in / ', entries: [{ name: 'bin/sh', data: 100 }] },
  { createdBy: 'WORKDIR /app', entries: [{ name: 'app/', type: 'directory' }] },
  {
    createdBy: 'COPY requirements.txt download.py ./ # buildkit',
    entries: [
      { name: 'app/requirements.txt', data: 20 },
      { name: 'app/download.py', data: 80 },
    ],
  },
  {
    createdBy: 'RUN /bin/sh -c pip install --no-cache-dir -r requirements.txt # buildkit',
    entries: [
      { name: 'usr/local/lib/python3.12/site-packages/nvidia/cublas/lib/libcublasLt.so.12', data: 3 * MIB },
    ],
  },
  {
    createdBy: 'RUN /bin/sh -c python download.py # buildkit',
    entries: [{ name: 'root/.cache/huggingface/hub/models--org--m/blobs/model.safetensors', data: 12 * MIB }],
  },
];

async function run(config: Config = emptyConfig(), files: Record<string, string> = {}) {
  const root = mkdtempSync(path.join(tmpdir(), 'pipeline-confirm-'));
  const context = path.join(root, 'ml');
  mkdirSync(context, { recursive: true });
  const all = {
    Dockerfile: DOCKERFILE,
    'requirements.txt': 'sentence-transformers==3.0.1\n',
    'download.py': 'from huggingface_hub import snapshot_download\nsnapshot_download("org/m")\n',
    ...files,
  };
  for (const [name, text] of Object.entries(all)) writeFileSync(path.join(context, name), text);
  const plan: Plan = {
    root,
    services: [{ name: 'ml', build: { context, dockerfile: path.join(context, 'Dockerfile'), args: {} } }],
    known: ['ml'],
    errors: [],
  };
  const report = newReport(plan, new Date());
  const deps = { docker: new Docker('/nonexistent/docker'), log: silentLog };
  const dockerfiles = readDockerfiles(plan, report, deps);
  const steps = await lintPlan(plan, report, config, deps, dockerfiles);
  const lintOnly = report.services[0]!.findings.map((f) => [f.rule, f.file, f.line]);
  const saved = await scanSaveArchive(streamOf((await saveArchive(LAYERS, { layout: 'oci' })).archive));
  const analysis = summarize(saved, [], 'ib/ml:local', {
    dockerfile: 'ml/Dockerfile',
    steps: targetStage(dockerfiles.get('ml')!.model)!.instrs,
  });
  report.services[0]!.findings.push(...analysis.findings);
  applyRuleSettings(report, config);
  confirmLint(report, steps, dockerfiles);
  return { lintOnly, findings: report.services[0]!.findings, imageFindings: analysis.findings };
}

describe('runPipeline’s lint, measure and confirmation on one repository', () => {
  test('the image findings are on their steps’ lines, and each merges into its lint finding', async () => {
    const { lintOnly, findings, imageFindings } = await run();
    // What the lint said, before the image: the download in the script, torch pulled by a dependency.
    expect(lintOnly).toEqual(
      expect.arrayContaining([
        ['model-download-in-build', 'ml/download.py', 2],
        ['torch-via-dependency', 'ml/requirements.txt', 1],
      ]),
    );
    expect(imageFindings.map((f) => [f.rule, f.line, f.message])).toEqual([
      [
        'model-weights-in-image',
        6,
        'Line 6 (RUN python download.py) writes 12.6MB of model weights into the image: /root/.cache/huggingface/hub/models--org--m/blobs/model.safetensors',
      ],
      [
        'cuda-libraries-in-image',
        4,
        'Line 4 (RUN pip install --no-cache-dir -r requirements.txt) writes 3.15MB of CUDA libraries into the image: /usr/local/lib/python3.12/site-packages/nvidia/cublas/lib/libcublasLt.so.12',
      ],
    ]);
    // Once each: the lint's finding, with the image's bytes.
    expect(findings.filter((f) => f.source === 'image')).toEqual([]);
    expect(findings.filter((f) => f.imageEvidence).map((f) => [f.rule, f.file, f.imageEvidence])).toEqual([
      [
        'model-download-in-build',
        'ml/download.py',
        {
          rule: 'model-weights-in-image',
          bytes: 12 * MIB,
          files: 1,
          path: '/root/.cache/huggingface/hub/models--org--m/blobs/model.safetensors',
          layer: 5,
        },
      ],
      [
        'torch-via-dependency',
        'ml/requirements.txt',
        {
          rule: 'cuda-libraries-in-image',
          bytes: 3 * MIB,
          files: 1,
          path: '/usr/local/lib/python3.12/site-packages/nvidia/cublas/lib/libcublasLt.so.12',
          layer: 4,
        },
      ],
    ]);
  });

  test('what the lint did not see stays, from the image, on its step’s line', async () => {
    // No dependency pulls torch now: nothing predicts the CUDA libraries the layer still holds.
    const { findings } = await run(emptyConfig(), { 'requirements.txt': 'flask==3.0.0\n' });
    expect(findings.filter((f) => f.source === 'image').map((f) => [f.rule, f.file, f.line])).toEqual([
      ['cuda-libraries-in-image', 'ml/Dockerfile', 4],
    ]);
  });

  test('a lint rule turned off leaves the image finding standing; an image rule turned off confirms nothing', async () => {
    const config = emptyConfig();
    config.lint.rules = { 'model-download-in-build': 'off', 'cuda-libraries-in-image': 'off' };
    const { findings } = await run(config);
    expect(findings.filter((f) => f.source === 'image').map((f) => [f.rule, f.line])).toEqual([
      ['model-weights-in-image', 6],
    ]);
    expect(findings.find((f) => f.rule === 'torch-via-dependency')?.imageEvidence).toBeUndefined();
  });
});
