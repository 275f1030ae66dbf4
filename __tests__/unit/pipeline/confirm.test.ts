import { describe, expect, it } from 'vitest';
import { confirmByImage, type ConfirmContext } from '../../../src/pipeline/confirm.js';
import type { Finding } from '../../../src/report/model.js';

const DOCKERFILE = 'ml/Dockerfile';

const lint = (rule: string, line: number, extra: Partial<Finding> = {}): Finding => ({
  rule,
  severity: 'warning',
  file: DOCKERFILE,
  line,
  message: `${rule} on line ${line}`,
  fix: `fix ${rule}`,
  source: 'lint',
  ...extra,
});

const image = (
  rule: string,
  line: number | undefined,
  bytes = 420_000_000,
  extra: Partial<Finding> = {},
): Finding => ({
  rule,
  severity: 'warning',
  file: DOCKERFILE,
  ...(line !== undefined ? { line } : {}),
  message: `Line ${line} writes ${bytes}B`,
  fix: 'image fix',
  source: 'image',
  imageEvidence: { rule, bytes, path: '/root/.cache/huggingface', files: 1, layer: 5 },
  ...extra,
});

/** Stages: FROM 1, RUN 2-4 (builder); FROM 6, RUN 7, RUN 9-11, COPY 12 (final). */
const CONTEXT: ConfirmContext = {
  dockerfile: DOCKERFILE,
  finalStage: [6, 7, 9, 12],
  instructions: [
    { line: 1, endLine: 1 },
    { line: 2, endLine: 4 },
    { line: 6, endLine: 6 },
    { line: 7, endLine: 7 },
    { line: 9, endLine: 11 },
    { line: 12, endLine: 12 },
  ],
};

/** What is left: rule, source, line, and the evidence's bytes where there is some. */
const summary = (findings: Finding[]) =>
  findings.map((f) => [f.rule, f.source, f.line, f.imageEvidence?.bytes]);

describe('confirmByImage: the image finding merges into the lint finding about the same thing', () => {
  it.each([
    ['model weights on the download line', 'model-download-in-build', 7, 'model-weights-in-image', 7],
    ['CUDA libraries on the torch install', 'cuda-torch', 9, 'cuda-libraries-in-image', 9],
    ['CUDA libraries through a dependency', 'torch-via-dependency', 9, 'cuda-libraries-in-image', 9],
    ['a CUDA base image on its FROM line', 'cuda-torch', 6, 'cuda-libraries-in-image', 6],
    ['a compiler on the apt-get line', 'toolchain-in-final-stage', 7, 'compiler-in-image', 7],
    ['a package cache on the pip line', 'package-cache-in-layer', 7, 'package-cache-in-image', 7],
    ['a word on the third line of a RUN', 'cuda-torch', 11, 'cuda-libraries-in-image', 9],
  ])('%s', (_name, lintRule, lintLine, imageRule, layerLine) => {
    const out = confirmByImage([lint(lintRule, lintLine), image(imageRule, layerLine)], CONTEXT);
    expect(out).toEqual([
      {
        ...lint(lintRule, lintLine),
        imageEvidence: {
          rule: imageRule,
          bytes: 420_000_000,
          path: '/root/.cache/huggingface',
          files: 1,
          layer: 5,
        },
      },
    ]);
  });

  it('a finding in a script goes by the RUN that runs it (the lint step)', () => {
    const script = lint('model-download-in-build', 3, { file: 'ml/download.py' });
    const out = confirmByImage([script, image('model-weights-in-image', 7)], {
      ...CONTEXT,
      steps: new Map([[script, 7]]),
    });
    expect(summary(out)).toEqual([['model-download-in-build', 'lint', 3, 420_000_000]]);
    expect(out[0]!.file).toBe('ml/download.py');
  });

  it.each([
    ['cuda-torch', 'cuda-libraries-in-image'],
    ['torch-via-dependency', 'cuda-libraries-in-image'],
    ['toolchain-in-final-stage', 'compiler-in-image'],
  ])(
    'a line-less %s image finding matches a lint finding anywhere in the final stage',
    (lintRule, imageRule) => {
      const out = confirmByImage([lint(lintRule, 9), image(imageRule, undefined)], CONTEXT);
      expect(summary(out)).toEqual([[lintRule, 'lint', 9, 420_000_000]]);
    },
  );

  it('adds up the bytes of several image findings on one step, keeping the largest one’s place', () => {
    const out = confirmByImage(
      [
        lint('model-download-in-build', 7),
        image('model-weights-in-image', 7, 400),
        image('model-weights-in-image', 7, 20, {
          imageEvidence: { rule: 'model-weights-in-image', bytes: 20, path: '/models', files: 1, layer: 5 },
        }),
      ],
      CONTEXT,
    );
    expect(out).toHaveLength(1);
    expect(out[0]!.imageEvidence).toEqual({
      rule: 'model-weights-in-image',
      bytes: 420,
      files: 2,
      path: '/root/.cache/huggingface',
      layer: 5,
    });
  });

  it('gives the evidence to the most severe lint finding on the step, once', () => {
    const note = lint('torch-via-dependency', 9, { severity: 'note' });
    const error = lint('cuda-torch', 10, { severity: 'error' });
    const out = confirmByImage([note, error, image('cuda-libraries-in-image', 9)], CONTEXT);
    expect(summary(out)).toEqual([
      ['torch-via-dependency', 'lint', 9, undefined],
      ['cuda-torch', 'lint', 10, 420_000_000],
    ]);
  });
});

describe('confirmByImage: what does not merge', () => {
  it.each<[string, Finding[], ConfirmContext]>([
    ['another line', [lint('model-download-in-build', 7), image('model-weights-in-image', 9)], CONTEXT],
    [
      'a rule of another pair',
      [lint('package-cache-in-layer', 7), image('model-weights-in-image', 7)],
      CONTEXT,
    ],
    [
      'another Dockerfile',
      [lint('model-download-in-build', 7, { file: 'api/Dockerfile' }), image('model-weights-in-image', 7)],
      CONTEXT,
    ],
    [
      'a script no step pulls in',
      [lint('model-download-in-build', 7, { file: 'ml/download.py' }), image('model-weights-in-image', 7)],
      CONTEXT,
    ],
    [
      'a line-less model-weights finding (only CUDA and compilers go by the stage)',
      [lint('model-download-in-build', 7), image('model-weights-in-image', undefined)],
      CONTEXT,
    ],
    [
      'a line-less CUDA finding and a lint finding in the builder stage',
      [lint('cuda-torch', 3), image('cuda-libraries-in-image', undefined)],
      CONTEXT,
    ],
    [
      'a line-less CUDA finding when the final stage is unknown',
      [lint('cuda-torch', 9), image('cuda-libraries-in-image', undefined)],
      { dockerfile: DOCKERFILE },
    ],
    [
      'an image finding of a rule no lint rule predicts',
      [lint('model-download-in-build', 7), image('git-folder-in-image', 7)],
      CONTEXT,
    ],
    [
      'an image finding without evidence (an older report)',
      [
        lint('model-download-in-build', 7),
        { ...image('model-weights-in-image', 7), imageEvidence: undefined },
      ],
      CONTEXT,
    ],
    [
      'a finding that is not the lint’s',
      [lint('model-download-in-build', 7, { source: 'compose' }), image('model-weights-in-image', 7)],
      CONTEXT,
    ],
    ['no Dockerfile', [lint('model-download-in-build', 7), image('model-weights-in-image', 7)], {}],
  ])('%s', (_name, findings, context) => {
    expect(confirmByImage(findings, context)).toEqual(
      findings.map((f) => JSON.parse(JSON.stringify(f)) as Finding),
    );
  });

  it('leaves the input alone', () => {
    const findings = [lint('model-download-in-build', 7), image('model-weights-in-image', 7)];
    const copy = JSON.parse(JSON.stringify(findings)) as Finding[];
    confirmByImage(findings, CONTEXT);
    expect(findings).toEqual(copy);
  });
});
