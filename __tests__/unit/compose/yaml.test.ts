import { describe, expect, test } from 'vitest';
import { MAX_COMPOSE_BYTES, Override, parseYaml, Reset } from '../../../src/compose/yaml.js';
import { UserError } from '../../../src/util/errors.js';

const lookup = (name: string): string | undefined => ({ TAG: '3.11' })[name];

function errorOf(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('parseYaml', () => {
  test('values, service lines, interpolation in values but not keys, $$ escapes', () => {
    const file = parseYaml(
      'services:\n  "${TAG}":\n    build: ./py${TAG}\n  b:\n    image: "$$HOME"\n',
      'compose.yml',
      lookup,
    );
    expect(file.value).toEqual({ services: { '${TAG}': { build: './py3.11' }, b: { image: '$HOME' } } });
    expect([...file.serviceLines]).toEqual([
      ['${TAG}', 2],
      ['b', 4],
    ]);
  });

  test('!reset and !override survive as values for the merge', () => {
    const { value } = parseYaml('a: !reset []\nb: !override {x: 1}\nc: !reset\n', 'o.yml');
    const record = value as Record<string, unknown>;
    expect(record.a).toBeInstanceOf(Reset);
    expect(record.c).toBeInstanceOf(Reset);
    expect(record.b).toEqual(new Override({ x: 1 }));
  });

  test('aliases and merge keys resolve; later keys win over merged ones', () => {
    const { value } = parseYaml(
      'x: &b {context: ., args: {A: "1"}}\nservices:\n  s:\n    build:\n      <<: *b\n      context: app\n  t:\n    build: *b\n',
      'c.yml',
    );
    expect(value).toMatchObject({
      services: { s: { build: { context: 'app', args: { A: '1' } } }, t: { build: { context: '.' } } },
    });
  });

  test('one anchor aliased by 3,000 services resolves', () => {
    const lines = ['x-common: &common', '  context: .', 'services:'];
    for (let i = 0; i < 3000; i += 1)
      lines.push(`  s${i}:`, '    build:', '      <<: *common', `      target: t${i}`);
    const { value } = parseYaml(lines.join('\n'), 'compose.yml');
    expect(Object.keys((value as { services: object }).services)).toHaveLength(3000);
  });

  test.each([
    [
      'a wide anchor aliased 9,000 times',
      () => {
        const wide = Array.from({ length: 30 }, (_, i) => `  k${i}: v`).join('\n');
        return `x: &w\n${wide}\nservices:\n  s:\n    labels: [${Array(9000).fill('*w').join(',')}]\n`;
      },
      'too many YAML aliases expand here; refusing to expand',
    ],
    [
      'a billion-laughs file',
      () => {
        const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
        for (let i = 1; i < 9; i += 1) {
          const prev = String.fromCharCode(96 + i);
          levels.push(
            `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${prev}`).join(',')}]`,
          );
        }
        return [...levels, 'services:', '  s:', '    labels: *i'].join('\n');
      },
      'too many YAML aliases expand here; refusing to expand',
    ],
    [
      'a file nested 100 levels deep',
      () => `a: ${'['.repeat(100)}${']'.repeat(100)}\n`,
      'nested deeper than 64 levels',
    ],
    [
      'a file over the size cap',
      () => `# ${'x'.repeat(MAX_COMPOSE_BYTES)}\n`,
      'is larger than 2 MiB: not read',
    ],
    ['invalid YAML', () => 'services:\n  a:\n    build: ./a\n  b: [\n', 'invalid YAML'],
    ['a duplicate key', () => 'services:\n  a: {}\n  a: {}\n', 'invalid YAML: Map keys must be unique'],
    [
      'an unset required variable',
      () => 'services:\n  a:\n    build: "${NOPE:?set NOPE}"\n',
      'required variable NOPE',
    ],
  ])('%s is refused with one line naming the file', (_name, make, message) => {
    const error = errorOf(() => parseYaml(make(), 'compose.yml', lookup));
    expect(error.toLine()).toContain(message);
    expect(error.toLine()).toMatch(/^compose\.yml(:\d+)?: /);
    expect(error.toLine()).not.toContain('\n');
  });

  test('a 10 MB text is refused at once, and 256 KB of services (thousands) parse well under 5 s', () => {
    let started = performance.now();
    expect(() => parseYaml('#'.repeat(10 * 1024 * 1024), 'big.yml')).toThrow(UserError);
    expect(performance.now() - started).toBeLessThan(1000);
    const lines = ['services:'];
    let size = 0;
    for (let i = 0; size < 256 * 1024; i += 1) {
      const entry = `  s${i}:\n    build: {context: ./s${i}, args: {A: "${i}"}}`;
      lines.push(entry);
      size += entry.length + 1;
    }
    started = performance.now();
    const { value } = parseYaml(lines.join('\n'), 'big.yml');
    expect(Object.keys((value as { services: object }).services).length).toBeGreaterThan(4_000);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
