import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { loadProject } from '../../../src/compose/load.js';
import { merge } from '../../../src/compose/merge.js';
import { Override, Reset } from '../../../src/compose/yaml.js';
import { problemLine, type Problem } from '../../../src/util/errors.js';

const lineOf = (p: Problem | undefined) => (p ? problemLine(p) : undefined);
const serviceLines = (errors: Record<string, Problem>) =>
  Object.fromEntries(Object.entries(errors).map(([name, p]) => [name, problemLine(p)]));

let root: string;
const write = (file: string, text: string): void => {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
};
const load = (...files: string[]) =>
  loadProject({ root, files: files.map((f) => path.join(root, f)), env: {} });

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'ib-load-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('how a service runs, across files', () => {
  test("an override file changes the memory and the healthcheck; the lines are the first file's", () => {
    write(
      'compose.yaml',
      'services:\n  api:\n    image: api\n    mem_limit: 1g\n    healthcheck:\n      test: curl -f http://x\n    depends_on: [db]\n  db:\n    image: db\n',
    );
    write(
      'compose.override.yaml',
      'services:\n  api:\n    deploy:\n      resources:\n        limits: { memory: 1024M }\n    healthcheck:\n      test: ["CMD", "wget", "x"]\n    depends_on:\n      db: { condition: service_healthy }\n',
    );
    const project = load('compose.yaml', 'compose.override.yaml');
    expect(project.errors.map(problemLine)).toEqual([]);
    const { build: _build, image: _image, profiles: _profiles, ...run } = project.model.services.api!;
    expect(run).toEqual({
      mem_limit: '1073741824',
      deploy: { resources: { limits: { memory: '1073741824' } } },
      healthcheck: { test: ['CMD', 'wget', 'x'] },
      depends_on: { db: { condition: 'service_healthy' } },
    });
    expect(project.keyLines?.api).toMatchObject({ mem_limit: 4, 'healthcheck.test': 6 });
  });
});

describe('merge (the compose specification merge rules)', () => {
  test.each([
    [
      'mappings merge, the later value wins',
      { a: 1, b: { x: 1 } },
      { b: { y: 2 }, c: 3 },
      { a: 1, b: { x: 1, y: 2 }, c: 3 },
    ],
    ['sequences append', { l: ['a', 'b'] }, { l: ['b', 'c'] }, { l: ['a', 'b', 'b', 'c'] }],
    [
      'tags, profiles, extra_hosts append without repeats',
      { tags: ['a', 'b'] },
      { tags: ['b', 'c'] },
      { tags: ['a', 'b', 'c'] },
    ],
    ['scalars are replaced', { s: 'a' }, { s: 'b' }, { s: 'b' }],
    [
      "a healthcheck's test is replaced, not appended",
      { healthcheck: { test: ['CMD', 'a'] } },
      { healthcheck: { test: ['CMD-SHELL', 'b'] } },
      { healthcheck: { test: ['CMD-SHELL', 'b'] } },
    ],
    ['!reset removes the key', { l: ['a'], k: 1 }, { l: new Reset() }, { k: 1 }],
    [
      '!override replaces instead of merging',
      { m: { a: 1 } },
      { m: new Override({ b: 2 }) },
      { m: { b: 2 } },
    ],
  ])('%s', (_name, base, over, expected) => {
    expect(merge(base, over)).toEqual(expected);
  });
});

describe('loadProject: bad input is one line naming the file, and the rest still loads', () => {
  beforeEach(() => write('api/Dockerfile', 'FROM scratch\n'));

  test('a missing include file', () => {
    write('compose.yaml', 'include:\n  - libs/missing.yaml\nservices:\n  api:\n    build: api\n');
    const project = load('compose.yaml');
    expect(project.errors.map(problemLine)).toEqual([
      'compose.yaml: included file libs/missing.yaml not found',
    ]);
    expect(Object.keys(project.model.services)).toEqual(['api']);
  });

  test('an extends of a service that does not exist', () => {
    write('compose.yaml', 'services:\n  api:\n    build: api\n  worker:\n    extends: nope\n');
    const project = load('compose.yaml');
    expect(serviceLines(project.serviceErrors)).toEqual({
      worker: 'compose.yaml:4: service "worker" extends "nope", which compose.yaml does not define',
    });
    expect(Object.keys(project.model.services)).toEqual(['api']);
  });

  test('a loop in extends names the files and services', () => {
    write('compose.yaml', 'services:\n  a:\n    extends: {file: other.yaml, service: b}\n');
    write('other.yaml', 'services:\n  b:\n    extends: {file: compose.yaml, service: a}\n');
    expect(lineOf(load('compose.yaml').serviceErrors.a)).toBe(
      'other.yaml:2: service "b": extends loop: compose.yaml a -> other.yaml b -> compose.yaml a',
    );
  });

  test('a loop in include names the files', () => {
    write('compose.yaml', 'include: [b.yaml]\nservices:\n  api:\n    build: api\n');
    write('b.yaml', 'include: [compose.yaml]\nservices:\n  b:\n    image: x\n');
    const project = load('compose.yaml');
    expect(project.errors.map(problemLine)).toEqual([
      'b.yaml: include loop: compose.yaml -> b.yaml -> compose.yaml',
    ]);
    expect(Object.keys(project.model.services).sort()).toEqual(['api', 'b']);
  });

  test('a YAML error in an override file: one line with its line, the base file still counts', () => {
    write('compose.yaml', 'services:\n  api:\n    build: api\n');
    write('compose.override.yaml', 'services:\n  api:\n    build:\n   target: [dev\n');
    const project = load('compose.yaml', 'compose.override.yaml');
    expect(project.errors.map(problemLine)).toHaveLength(1);
    expect(problemLine(project.errors[0]!)).toMatch(/^compose\.override\.yaml:\d+: invalid YAML: /);
    expect(project.model.services.api?.build?.context).toBe(path.join(root, 'api'));
  });

  test('an extends file or an include outside the repository is refused, nothing of it read', () => {
    write(
      'compose.yaml',
      'include: [../../etc/compose.yaml]\nservices:\n  api:\n    extends: {file: /etc/passwd, service: root}\n  ok:\n    build: api\n',
    );
    const project = load('compose.yaml');
    expect(lineOf(project.serviceErrors.api)).toMatch(
      /^compose\.yaml:3: service "api": extends a service of .*, which cannot be read$/,
    );
    expect(project.errors.map(problemLine).join('\n')).toMatch(/points outside the repository|not found/);
    expect(project.errors.map(problemLine).join('\n')).not.toMatch(/root:x/);
    expect(Object.keys(project.model.services)).toEqual(['ok']);
  });

  test('a malformed service is an error on that service alone', () => {
    write('compose.yaml', 'services:\n  bad:\n    build: [1, 2]\n  worse: 3\n  good:\n    build: api\n');
    const project = load('compose.yaml');
    expect(serviceLines(project.serviceErrors)).toEqual({
      bad: 'compose.yaml:2: service "bad": `build` must be a path or a mapping',
      worse: 'compose.yaml:4: service "worse" must be a mapping',
    });
    expect(Object.keys(project.model.services)).toEqual(['good']);
  });

  test('a file without services is one line', () => {
    write('compose.yaml', 'version: "3"\n');
    expect(load('compose.yaml').errors.map(problemLine)).toEqual([
      'compose.yaml: no `services:` section: is this a compose file?',
    ]);
  });
});

test('a service name Compose would refuse is one line that does not quote it', () => {
  write('api/Dockerfile', 'FROM scratch\n');
  write('compose.yaml', 'services:\n  "x\\n::warning::owned":\n    build: api\n  ok:\n    build: api\n');
  const project = load('compose.yaml');
  expect(project.errors.map(problemLine)).toEqual([
    'compose.yaml:2: a service name holds only letters, digits, `.`, `_` and `-`: service skipped',
  ]);
  expect(Object.keys(project.model.services)).toEqual(['ok']);
});
