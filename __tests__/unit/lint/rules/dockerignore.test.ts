import { describe, expect, test } from 'vitest';
import { type Row, S, keys, lintFiles, spec } from '../helpers.js';

describe('dockerignore', () => {
  test.each<Row>(
    spec([
      [
        'no .dockerignore, and .git/ is most of what COPY . sends',
        { Dockerfile: `${S}COPY . /app\n`, '.git/objects/pack': 'x'.repeat(20_000), 'app.py': 'print(1)\n' },
        ['2 dockerignore'],
      ],
      [
        'a .dockerignore that lets 2 MB of models/ through',
        {
          Dockerfile: `${S}COPY . /app\n`,
          '.dockerignore': '.git\n',
          'models/w.onnx': 'x'.repeat(2_100_000),
          'src/a.py': 'x'.repeat(3_000_000),
        },
        ['.dockerignore:1 dockerignore'],
      ],
      [
        'a 10 KB tests/ in a 3 MB context (under 1 MB and under 10%)',
        {
          Dockerfile: `${S}COPY . /app\n`,
          '.dockerignore': '.git\n',
          'tests/t.py': 'x'.repeat(10_000),
          'src/a.bin': 'x'.repeat(3_000_000),
        },
        [],
      ],
      [
        'no .dockerignore, a 7 KB context with nothing to exclude',
        { Dockerfile: `${S}COPY . /app\n`, 'app.py': 'x'.repeat(7_000) },
        [],
      ],
      [
        'only named files are copied',
        { Dockerfile: `${S}COPY app.py /app/\n`, 'app.py': 'x', 'tests/t.py': 'x'.repeat(5000) },
        [],
      ],
      [
        'Docker matching: a negated file inside an excluded folder',
        {
          Dockerfile: `${S}COPY . /app\n`,
          '.dockerignore': 'data\n!data/keep.txt\n',
          'data/keep.txt': 'x',
          'data/x.bin': 'x'.repeat(5000),
          'app.py': 'x',
        },
        [],
      ],
      [
        'Docker matching is case-sensitive: `Tests` does not exclude `tests/`',
        {
          Dockerfile: `${S}COPY . /app\n`,
          '.dockerignore': 'Tests\n',
          'tests/t.py': 'x'.repeat(5000),
          'app.py': 'x',
        },
        ['.dockerignore:1 dockerignore'],
      ],
    ]),
  )('%s', (_name, files, want) => {
    expect(keys(lintFiles(files))).toEqual(want.sort());
  });

  test('reports the context size and its largest folders', () => {
    const f = lintFiles({
      Dockerfile: `${S}COPY . /app\n`,
      'data/big.csv': 'x'.repeat(50_000),
      'src/a.py': 'x',
    });
    expect(keys(f)).toEqual(['2 dockerignore']);
    // 50,000 bytes in decimal units, as every size image-budget prints (and the config reads).
    expect(f[0]!.message).toMatch(/data\/ 50kB/);
    expect(f[0]!.message).toMatch(/`data\/` \(data sets/);
  });
  test('negation and ** patterns', () => {
    const f = lintFiles({
      Dockerfile: `${S}COPY . /app\n`,
      '.dockerignore': '**/__pycache__\ndata\n!data/keep.txt\n',
      'src/__pycache__/a.pyc': 'x',
      'data/keep.txt': 'x',
      'data/x.bin': 'x',
    });
    expect(keys(f)).toEqual([]);
  });
  test('a Dockerfile-specific .dockerignore is used', () => {
    const f = lintFiles({
      Dockerfile: `${S}COPY . /app\n`,
      'Dockerfile.dockerignore': 'tests\n',
      'tests/t.py': 'x',
    });
    expect(keys(f)).toEqual([]);
  });

  test('the threshold is configurable', () => {
    const files = {
      Dockerfile: `${S}COPY . /app\n`,
      '.dockerignore': '.git\n',
      'tests/t.py': 'x'.repeat(10_000),
      'src/a.bin': 'x'.repeat(3_000_000),
    };
    expect(keys(lintFiles(files))).toEqual([]);
    expect(keys(lintFiles(files, {}, { dockerignore: { minBytes: 1024, minShare: 1 } }))).toEqual([
      '.dockerignore:1 dockerignore',
    ]);
  });
});
