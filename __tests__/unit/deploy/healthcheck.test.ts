import { describe, expect, test } from 'vitest';
import {
  composeHealthcheck,
  dockerfileHealthcheck,
  hasProgram,
  isOneShot,
  testProgram,
} from '../../../src/deploy/healthcheck.js';
import { assessService } from '../../../src/deploy/index.js';
import { parseDockerfile } from '../../../src/dockerfile/index.js';
import { programsOf } from '../../../src/measure/analyze.js';
import { KIND_FILE, KIND_OPAQUE, KIND_OTHER, KIND_WHITEOUT } from '../../../src/measure/waste.js';
import { specOf, specsOf } from './spec.js';

describe('composeHealthcheck', () => {
  test.each([
    [
      'test: ["CMD", "curl", "-f", "http://x/"]',
      { test: ['CMD', 'curl', '-f', 'http://x/'], disabled: false },
    ],
    [
      'test: curl -f http://x/ || exit 1',
      { test: ['CMD-SHELL', 'curl -f http://x/ || exit 1'], disabled: false },
    ],
    ['test: ["NONE"]', { test: ['NONE'], disabled: true }],
    ['disable: true', { disabled: true }],
    ['interval: 30s', { disabled: false }],
  ])('%s', (body, expected) => {
    const spec = specOf(`services:\n  a:\n    image: a\n    healthcheck:\n      ${body}\n`);
    expect(composeHealthcheck(spec)).toEqual({ ...expected, line: body.startsWith('test') ? 5 : 4 });
  });

  test('none', () => {
    expect(composeHealthcheck(specOf('services:\n  a:\n    image: a\n'))).toBeUndefined();
  });
});

describe('dockerfileHealthcheck', () => {
  test.each([
    ['FROM a\nHEALTHCHECK CMD curl -f http://localhost/\n', undefined, { line: 2, disabled: false }],
    [
      'FROM a\nHEALTHCHECK --interval=5s \\\n  CMD wget -q localhost\n',
      undefined,
      { line: 2, disabled: false },
    ],
    ['FROM a\nHEALTHCHECK CMD true\nFROM b\nCMD x\n', undefined, undefined],
    ['FROM a AS base\nHEALTHCHECK CMD true\nFROM base\nCMD x\n', undefined, { line: 2, disabled: false }],
    [
      'FROM a AS base\nHEALTHCHECK CMD true\nFROM base\nHEALTHCHECK NONE\n',
      undefined,
      { line: 4, disabled: true },
    ],
    ['FROM a AS run\nHEALTHCHECK CMD true\nFROM b AS dev\n', 'run', { line: 2, disabled: false }],
    ['FROM a\nCMD x\n', undefined, undefined],
    ['', undefined, undefined],
  ])('%j (target %s)', (text, target, expected) => {
    expect(dockerfileHealthcheck(parseDockerfile(text), target)).toEqual(expected);
  });
});

describe('isOneShot', () => {
  const compose = `services:
  web:
    image: web
    depends_on:
      migrate: { condition: service_completed_successfully }
  migrate:
    image: m
  job:
    image: j
    restart: "no"
  retry:
    image: r
    restart: on-failure:3
  swarm:
    image: s
    deploy: { restart_policy: { condition: none } }
  always:
    image: a
    restart: unless-stopped
`;
  const specs = specsOf(compose);
  test.each([
    ['web', false],
    ['migrate', true],
    ['job', true],
    ['retry', true],
    ['swarm', true],
    ['always', false],
  ])('%s: %s', (name, expected) => {
    expect(isOneShot(name, specOf(compose, name), specs)).toBe(expected);
  });
});

describe('the program a test runs', () => {
  test.each([
    [['CMD', 'curl', '-f', 'http://x'], 'curl'],
    [['CMD', '/usr/local/bin/healthcheck'], '/usr/local/bin/healthcheck'],
    [['CMD-SHELL', 'curl -f http://x || exit 1'], 'curl'],
    [['CMD-SHELL', 'PGUSER=app pg_isready -q'], 'pg_isready'],
    [['CMD-SHELL', 'exit 0'], undefined],
    [['CMD-SHELL', '$CHECK'], undefined],
    [['NONE'], undefined],
  ])('%j: %s', (test, program) => {
    expect(testProgram(test)).toBe(program);
  });

  const files = new Set(['usr/bin/wget', 'usr/bin/sh', 'usr/local/bin/healthcheck']);
  test.each([
    ['wget', true],
    ['sh', true],
    ['/bin/sh', true], // merged /usr: bin is a link to usr/bin
    ['curl', false],
    ['/usr/bin/curl', false],
    ['/usr/local/bin/healthcheck', true],
    ['/opt/check', true], // outside the PATH folders: not read, not judged
  ])('%s in the image: %s', (program, expected) => {
    expect(hasProgram(program, files)).toBe(expected);
  });
});

describe('programsOf: the PATH folders of the final image', () => {
  test('layers add programs; whiteouts and opaque folders remove them; other folders do not count', () => {
    const layer = (entries: [string, number][]) => ({
      paths: entries.map(([p]) => p),
      sizes: entries.map(() => 1),
      kinds: entries.map(([, k]) => k),
    });
    expect(
      programsOf([
        layer([
          ['usr/bin/curl', KIND_FILE],
          ['usr/bin/wget', KIND_FILE],
          ['usr/bin/python3', KIND_OTHER],
          ['usr/local/bin/tool', KIND_FILE],
          ['usr/share/doc/curl', KIND_FILE],
        ]),
        layer([
          ['usr/bin/curl', KIND_WHITEOUT],
          ['usr/local/bin', KIND_OPAQUE],
          ['usr/local/bin/new', KIND_FILE],
        ]),
      ]),
    ).toEqual(['usr/bin/python3', 'usr/bin/wget', 'usr/local/bin/new']);
  });
});

describe('assessService', () => {
  const compose = `services:
  api:
    build: ./api
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost/health"]
`;
  const spec = specOf(compose);
  const base = {
    name: 'api',
    spec,
    all: [spec],
    imageOnly: false,
    dockerfileModel: parseDockerfile('FROM a\n'),
  };

  test('a compose test calling a tool the built image lacks is a warning on the test line', () => {
    const { findings } = assessService(
      { ...base, imageTest: [], imageFiles: new Set(['usr/bin/wget']) },
      { healthcheck: 'warning' },
    );
    expect(findings).toEqual([
      {
        rule: 'healthcheck-tool-missing',
        severity: 'warning',
        file: 'compose.yaml',
        line: 5,
        message: 'api: the healthcheck runs curl, which the image does not have: the check always fails',
        fix: 'install curl in the image, or test with a tool it has',
        source: 'compose',
      },
    ]);
    expect(
      assessService({ ...base, imageFiles: new Set(['usr/bin/curl']) }, { healthcheck: 'warning' }).findings,
    ).toEqual([]);
  });

  test("without the image's files (lint-only) the tool is not judged", () => {
    expect(assessService(base, { healthcheck: 'warning' }).findings).toEqual([]);
  });

  test("the built image's config credits a healthcheck from its base image", () => {
    const bare = specOf('services:\n  api:\n    build: ./api\n');
    const facts = { ...base, spec: bare, all: [bare] };
    expect(assessService(facts, { healthcheck: 'error' }).findings).toMatchObject([
      { rule: 'no-healthcheck', severity: 'error', line: 2 },
    ]);
    const built = assessService({ ...facts, imageTest: ['CMD-SHELL', 'true'] }, { healthcheck: 'error' });
    expect(built.deploy.healthcheck).toBe('image');
    expect(built.findings).toEqual([]);
    expect(assessService(facts, { healthcheck: 'off' }).findings).toEqual([]);
  });
});
