import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { findComposeFiles } from '../../../src/compose/files.js';
import { emptyConfig } from '../../../src/config/schema.js';
import { Docker } from '../../../src/docker/exec.js';
import { buildable, discoverPlan, makePlan } from '../../../src/plan/make-plan.js';
import { problemLine, type Problem } from '../../../src/util/errors.js';

const lineOf = (p: Problem | undefined) => (p ? problemLine(p) : undefined);

let root: string;
const write = (file: string, text: string): void => {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
};

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'ib-plan-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('findComposeFiles', () => {
  test('prefers compose.yaml, with the override file beside it', () => {
    write('docker-compose.yml', 'services: {}');
    write('compose.yaml', 'services: {}');
    write('compose.override.yaml', 'services: {}');
    expect(findComposeFiles(root, undefined)).toEqual([
      path.join(root, 'compose.yaml'),
      path.join(root, 'compose.override.yaml'),
    ]);
  });

  test('none is empty; a given path that is missing is a one-line error', () => {
    expect(findComposeFiles(root, undefined)).toEqual([]);
    expect(() => findComposeFiles(root, 'deploy/compose.yml')).toThrow('compose file not found');
  });

  test.each([
    ['a comma separated list', 'a.yml, b.yml', {}],
    ['a newline separated list', 'a.yml\nb.yml\n', {}],
    ['COMPOSE_FILE with the path separator', undefined, { COMPOSE_FILE: 'a.yml:b.yml' }],
    [
      'COMPOSE_FILE with COMPOSE_PATH_SEPARATOR',
      undefined,
      { COMPOSE_FILE: 'a.yml;b.yml', COMPOSE_PATH_SEPARATOR: ';' },
    ],
  ])('several files from %s, in order', (_name, given, env) => {
    write('a.yml', 'services: {}');
    write('b.yml', 'services: {}');
    expect(findComposeFiles(root, given, env)).toEqual([path.join(root, 'a.yml'), path.join(root, 'b.yml')]);
  });

  test('a given folder is searched', () => {
    write('deploy/docker-compose.yaml', 'services: {}');
    expect(findComposeFiles(root, 'deploy')).toEqual([path.join(root, 'deploy/docker-compose.yaml')]);
  });
});

describe('makePlan (our parser)', () => {
  test('the override file adds a service and a target (the case of issue 10)', () => {
    write('compose.yaml', 'services:\n  api:\n    build: ./api\n');
    write(
      'compose.override.yaml',
      'services:\n  api:\n    build:\n      target: dev\n  worker:\n    build: ./worker\n',
    );
    write('api/Dockerfile', 'FROM scratch\n');
    write('worker/Dockerfile', 'FROM scratch\n');
    const plan = makePlan({ root }, {});
    expect(plan.errors.map(problemLine)).toEqual([]);
    expect(plan.composeSource).toBe('parser');
    expect(plan.services.map((s) => [s.name, s.build?.target])).toEqual([
      ['api', 'dev'],
      ['worker', undefined],
    ]);
  });

  test('a service of an inactive profile is listed, not built; a named profile turns it on', () => {
    write('compose.yaml', 'services:\n  api:\n    build: .\n  debug:\n    build: .\n    profiles: [dev]\n');
    write('Dockerfile', 'FROM scratch\n');
    const off = makePlan({ root }, {});
    expect(off.services.find((s) => s.name === 'debug')?.notBuilt).toBe('profile dev');
    expect(off.services.filter(buildable).map((s) => s.name)).toEqual(['api']);
    for (const plan of [
      makePlan({ root, profiles: ['dev'] }, {}),
      makePlan({ root }, { COMPOSE_PROFILES: 'dev' }),
    ]) {
      expect(plan.services.filter(buildable).map((s) => s.name)).toEqual(['api', 'debug']);
    }
    // Named on purpose, as `docker compose build debug` does.
    expect(
      makePlan({ root, services: ['debug'] }, {})
        .services.filter(buildable)
        .map((s) => s.name),
    ).toEqual(['debug']);
  });

  test('a profile that no service uses is a warning', () => {
    write('compose.yaml', 'services:\n  api:\n    build: .\n');
    write('Dockerfile', 'FROM scratch\n');
    const plan = makePlan({ root, profiles: ['nope'] }, {});
    expect(plan.warnings).toEqual(['compose.yaml: profile "nope" is used by no service']);
    expect(plan.services.filter(buildable)).toHaveLength(1);
  });

  test('missing context, missing Dockerfile, remote context, paths outside: errors on their service', () => {
    write(
      'docker-compose.yml',
      `services:
  nocontext:
    build: ./nope
  nodockerfile:
    build:
      context: ./app
      dockerfile: Dockerfile.missing
  remote:
    build: https://github.com/example/repo.git
  outside:
    build: ../
  linked:
    build: ./link
  ok:
    build: ./app
`,
    );
    write('app/Dockerfile', 'FROM scratch\n');
    symlinkSync('/etc', path.join(root, 'link'));
    const services = makePlan({ root }, {}).services;
    expect(services.map((s) => lineOf(s.error))).toEqual([
      'docker-compose.yml:2: service "nocontext": build context nope does not exist',
      'docker-compose.yml:4: service "nodockerfile": Dockerfile app/Dockerfile.missing not found',
      'docker-compose.yml:8: service "remote": remote build context https://github.com/example/repo.git is not supported; use a local folder',
      `docker-compose.yml:10: service "outside": build context .. points outside the repository`,
      'docker-compose.yml:12: service "linked": build context link points outside the repository',
      undefined,
    ]);
  });

  test("buildAfter: additional_contexts service:NAME and FROM of another service's tag", () => {
    write(
      'compose.yaml',
      'name: shop\nservices:\n  base:\n    build: base\n  api:\n    build:\n      context: api\n      additional_contexts: {b: "service:base"}\n  worker:\n    build: worker\n  ghost:\n    build:\n      context: api\n      additional_contexts: {x: "service:nope"}\n',
    );
    write('base/Dockerfile', 'FROM scratch\n');
    write('api/Dockerfile', 'FROM scratch\n');
    write('worker/Dockerfile', 'FROM shop-base\n');
    const plan = makePlan({ root }, {});
    expect(plan.services.map((s) => [s.name, s.buildAfter])).toEqual([
      ['base', undefined],
      ['api', ['base']],
      ['worker', ['base']],
      ['ghost', undefined],
    ]);
    expect(lineOf(plan.services[3]?.error)).toBe(
      'service "ghost": additional context "x" names service "nope", which does not exist',
    );
  });

  test('a loop in the build order is an error on the services in it', () => {
    write(
      'compose.yaml',
      'services:\n  a:\n    build: a\n    image: img-a\n  b:\n    build: b\n    image: img-b\n',
    );
    write('a/Dockerfile', 'FROM img-b\n');
    write('b/Dockerfile', 'FROM img-a\n');
    const plan = makePlan({ root }, {});
    expect(plan.services.map((s) => lineOf(s.error))).toEqual([
      'service "a": build order loop: a -> b -> a',
      'service "b": build order loop: b -> a -> b',
    ]);
  });
});

describe('discoverPlan', () => {
  /** A docker CLI that only knows `compose version` and `compose ... config`, from a script. */
  function fakeDocker(version: string, config: { stdout?: string; stderr?: string; code?: number }): Docker {
    const bin = path.join(root, 'bin/docker');
    mkdirSync(path.dirname(bin), { recursive: true });
    writeFileSync(path.join(root, 'bin/config.out'), config.stdout ?? '');
    writeFileSync(path.join(root, 'bin/config.err'), config.stderr ?? '');
    writeFileSync(
      bin,
      `#!/bin/sh
echo "$@" >> "${root}/bin/calls"
if [ "$2" = "version" ]; then echo "${version}"; exit 0; fi
cat "${root}/bin/config.out"; cat "${root}/bin/config.err" >&2; exit ${config.code ?? 0}
`,
    );
    chmodSync(bin, 0o755);
    return new Docker(bin);
  }

  beforeEach(() => {
    write('compose.yaml', 'services:\n  api:\n    build: api\n');
    write('compose.override.yaml', 'services:\n  api:\n    build:\n      target: dev\n');
    write('api/Dockerfile', 'FROM scratch\n');
  });

  test("with Compose v2, the model is compose config's, run with the same files", async () => {
    const json = {
      name: 'x',
      services: {
        api: { build: { context: path.join(root, 'api'), dockerfile: 'Dockerfile', target: 'from-compose' } },
      },
    };
    const plan = await discoverPlan(
      { root },
      {},
      emptyConfig(),
      fakeDocker('2.26.1', { stdout: JSON.stringify(json) }),
    );
    expect(plan.composeSource).toBe('compose-v2');
    expect(plan.services[0]?.build?.target).toBe('from-compose');
    const { readFileSync } = await import('node:fs');
    const calls = readFileSync(path.join(root, 'bin/calls'), 'utf8').split('\n');
    expect(calls).toContain('compose version --short');
    expect(calls.find((call) => call.includes(' config '))).toBe(
      `compose -f ${root}/compose.yaml -f ${root}/compose.override.yaml --project-directory ${root} --profile * config --format json`,
    );
  });

  test("a file our caps refuse never gets Compose v2 reading it: our parser's one line stands", async () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i += 1) {
      const name = String.fromCharCode(97 + i);
      bomb.push(
        `${name}: &${name} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      );
    }
    write('compose.override.yaml', `${bomb.join('\n')}\nservices:\n  api:\n    labels: *i\n`);
    const json = {
      services: { api: { build: { context: path.join(root, 'api'), target: 'from-compose' } } },
    };
    const plan = await discoverPlan(
      { root },
      {},
      emptyConfig(),
      fakeDocker('2.26.1', { stdout: JSON.stringify(json) }),
    );
    expect(plan.composeSource).toBe('parser');
    expect(plan.errors.map(problemLine)).toEqual([
      expect.stringMatching(
        /^compose\.override\.yaml:\d+: too many YAML aliases expand here; refusing to expand$/,
      ),
    ]);
    expect(plan.services.map((s) => s.name)).toEqual(['api']);
  });

  test('with Compose v2, messages still name the file and line where the service is declared', async () => {
    const json = {
      services: { api: { build: { context: path.join(root, 'gone'), dockerfile: 'Dockerfile' } } },
    };
    const plan = await discoverPlan(
      { root },
      {},
      emptyConfig(),
      fakeDocker('2.26.1', { stdout: JSON.stringify(json) }),
    );
    expect(lineOf(plan.services[0]?.error)).toBe(
      'compose.yaml:2: service "api": build context gone does not exist',
    );
  });

  test('without Compose v2 (docker 20.10: no compose plugin), our parser reads it', async () => {
    const plan = await discoverPlan(
      { root },
      {},
      emptyConfig(),
      fakeDocker("docker: 'compose' is not a docker command.", {}),
    );
    expect(plan.composeSource).toBe('parser');
    expect(plan.services[0]?.build?.target).toBe('dev');
  });

  test('when Compose refuses the project, its one line names the files and the services still plan', async () => {
    const plan = await discoverPlan(
      { root },
      {},
      emptyConfig(),
      fakeDocker('2.26.1', { stderr: 'validating: services.api.build.pull must be a boolean\n', code: 15 }),
    );
    expect(plan.errors.map(problemLine)).toEqual([
      'compose.yaml, compose.override.yaml: validating: services.api.build.pull must be a boolean',
    ]);
    expect(plan.services.map((s) => s.name)).toEqual(['api']);
  });
});

describe('bad input: one line each, and the other services still plan', () => {
  test('a missing file among several given', () => {
    write('compose.yaml', 'services:\n  api:\n    build: api\n');
    write('api/Dockerfile', 'FROM scratch\n');
    const plan = makePlan({ root, compose: 'compose.yaml,compose.ci.yaml' }, {});
    expect(plan.errors.map(problemLine)).toEqual(['compose.ci.yaml: compose file not found']);
    expect(plan.services.filter(buildable).map((s) => s.name)).toEqual(['api']);
  });
});
