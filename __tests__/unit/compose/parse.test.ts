import { describe, expect, test } from 'vitest';
import { parseCompose } from '../../../src/compose/parse.js';
import { UserError } from '../../../src/util/errors.js';

const env: Record<string, string> = { TAG: '3.11', ONLY_IN_ENV: 'from-env' };
const lookup = (name: string): string | undefined => env[name];
const parse = (text: string) => parseCompose(text, 'docker-compose.yml', lookup);

describe('parseCompose', () => {
  test('short and long build forms, image-only services, lines', () => {
    const services = parse(`services:
  api:
    build: ./api
  worker:
    build:
      context: services/worker
      dockerfile: docker/Dockerfile.prod
      target: runtime
      network: host
  db:
    image: postgres:16-alpine
`);
    // The raw fields and key lines (read by src/deploy/) are tested in __tests__/unit/deploy/.
    expect(services.map(({ fields: _fields, lines: _lines, ...s }) => s)).toEqual([
      { name: 'api', line: 2, build: { context: './api', args: {} } },
      {
        name: 'worker',
        line: 4,
        build: {
          context: 'services/worker',
          dockerfile: 'docker/Dockerfile.prod',
          target: 'runtime',
          network: 'host',
          args: {},
        },
      },
      { name: 'db', line: 10, image: 'postgres:16-alpine' },
    ]);
  });

  test('args as a map and as a list, bare keys taken from the environment', () => {
    const [map, list] = parse(`services:
  map:
    build:
      context: .
      args:
        PYTHON: "\${TAG}"
        NUM: 3
        ONLY_IN_ENV:
        NOT_IN_ENV:
  list:
    build:
      context: .
      args:
        - PYTHON=\${TAG:-3.12}
        - EQ=a=b
        - ONLY_IN_ENV
        - NOT_IN_ENV
`);
    expect(map?.build?.args).toEqual({ PYTHON: '3.11', NUM: '3', ONLY_IN_ENV: 'from-env' });
    expect(list?.build?.args).toEqual({ PYTHON: '3.11', EQ: 'a=b', ONLY_IN_ENV: 'from-env' });
  });

  test('dockerfile_inline and defaults', () => {
    const [svc] = parse(`services:
  inline:
    build:
      dockerfile_inline: |
        FROM scratch
        COPY x /x
`);
    expect(svc?.build).toEqual({ context: '.', dockerfileInline: 'FROM scratch\nCOPY x /x\n', args: {} });
  });

  test('interpolation in values, not keys; $$ escapes', () => {
    const [svc] = parse(`services:
  "\${TAG}":
    build:
      context: "./py\${TAG}"
      args:
        LITERAL: "$$HOME"
`);
    expect(svc?.name).toBe('${TAG}');
    expect(svc?.build?.context).toBe('./py3.11');
    expect(svc?.build?.args).toEqual({ LITERAL: '$HOME' });
  });

  test.each([
    [1, 'services:\n  a:\n    build: ./a\n  b: [\n', /docker-compose\.yml:\d+: invalid YAML/],
    [2, 'version: "3"\n', /docker-compose\.yml: no `services:` section/],
    [3, 'services:\n  - a\n', /docker-compose\.yml:2: `services:` must be a mapping/],
    [
      4,
      'services:\n  a:\n    build:\n      context: "${MISSING:?set MISSING}"\n',
      /docker-compose\.yml:4: required variable MISSING/,
    ],
    [
      5,
      'services:\n  a:\n    build: ./a\n  a:\n    build: ./b\n',
      /docker-compose\.yml:4: invalid YAML: Map keys must be unique/,
    ],
  ])('%i: file-level mistakes are one UserError line', (_n, text, message) => {
    let thrown: unknown;
    try {
      parse(text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UserError);
    expect((thrown as UserError).toLine()).toMatch(message);
    expect((thrown as UserError).toLine()).not.toContain('\n');
  });

  test('a malformed service is an error on that service alone', () => {
    const services = parse(`services:
  bad:
    build: [1, 2]
  good:
    build: .
  both:
    build:
      dockerfile: Dockerfile
      dockerfile_inline: FROM scratch
`);
    expect(services[0]?.error).toBe(
      'docker-compose.yml:2: service "bad": `build` must be a path or a mapping',
    );
    expect(services[1]?.build?.context).toBe('.');
    expect(services[2]?.error).toMatch(/cannot both be set/);
  });

  test('an empty service is listed with nothing to build', () => {
    expect(parse('services:\n  empty:\n')).toEqual([{ name: 'empty', line: 2 }]);
  });
});

describe('parseCompose with YAML anchors', () => {
  test('aliases resolve to their anchored values', () => {
    const [svc] = parseCompose(
      `x-base: &base "\${BASE:-image-budget/py:offline}"
x-args: &args
  A: "1"
services:
  app:
    build:
      context: .
      args:
        <<: *args
        BASE_IMAGE: *base
`,
      'compose.yml',
      () => undefined,
    );
    expect(svc?.build?.args).toEqual({ A: '1', BASE_IMAGE: 'image-budget/py:offline' });
  });
});

describe('parseCompose at scale', () => {
  test('one anchor aliased by 300 services resolves', () => {
    const lines = ['x-common: &common', '  context: .', 'services:'];
    for (let i = 0; i < 300; i += 1)
      lines.push(`  s${i}:`, '    build:', '      <<: *common', `      target: t${i}`);
    const services = parseCompose(lines.join('\n'), 'compose.yml', () => undefined);
    expect(services).toHaveLength(300);
    expect(services[299]?.build).toEqual({ context: '.', target: 't299', args: {} });
  });

  test('a billion-laughs file is refused, not expanded', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i += 1) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(',')}]`);
    }
    levels.push('services:', '  s:', '    build: .', '    labels: *i');
    expect(() => parseCompose(levels.join('\n'), 'compose.yml', () => undefined)).toThrow(
      new UserError('too many YAML aliases expand here; refusing to expand', 'compose.yml', 11),
    );
  });
});
