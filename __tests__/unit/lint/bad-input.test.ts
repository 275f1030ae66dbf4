import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { findDockerfiles, lintTarget } from '../../../src/lint/index.js';
import { keys, lintFiles } from './helpers.js';

const S = 'FROM python:3.11-slim\n';

describe('bad input is a finding, never a throw', () => {
  test.each<[string, string | Buffer, string[]]>([
    [
      'binary garbage',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0xff]),
      ['3 invalid-dockerfile'],
    ],
    ['empty file', '', ['1 invalid-dockerfile']],
    ['whitespace only', '   \n\n\t\n', ['1 invalid-dockerfile']],
    ['5 MB file', `${S}${'# padding\n'.repeat(520_000)}`, ['1 invalid-dockerfile']],
    [
      'non-UTF-8 Dockerfile',
      Buffer.concat([Buffer.from(`${S}RUN echo `), Buffer.from([0xe9, 0xff]), Buffer.from('\n')]),
      ['2 invalid-dockerfile'],
    ],
    ['unterminated heredoc', `${S}RUN <<EOF\necho hi\n`, ['2 invalid-dockerfile']],
    ['unterminated single quote', `${S}RUN echo 'oops\n`, ['2 invalid-dockerfile']],
    ['instruction before FROM', 'RUN echo hi\nFROM debian:12\n', ['1 invalid-dockerfile']],
    ['FROM without image', 'FROM\n', ['1 invalid-dockerfile']],
    ['unknown stage in COPY --from is an image', `${S}COPY --from=nowhere /a /a\n`, []],
    ['trailing escape at EOF', `${S}RUN echo hi \\\n`, []],
    ['JSON form that is not JSON', `${S}RUN ["pip", "install", torch]\n`, []],
  ])('%s', (_name, content, want) => {
    expect(keys(lintFiles({ Dockerfile: content }))).toEqual(want);
  });

  test('the 5 MB finding names the limit, in the one byte format', () => {
    const [f] = lintFiles({ Dockerfile: `${S}${'#'.repeat(5 * 1024 * 1024)}\n` });
    expect(f!.message).toMatch(/is too large to be a Dockerfile \(over 1\.05MB\)/);
  });

  test('a missing requirements file names the file and the RUN line', () => {
    const f = lintFiles({
      Dockerfile: `${S}COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n`,
    });
    expect(keys(f)).toEqual(['3 unreadable-file']);
    expect(f[0]!.message).toMatch(/requirements\.txt.*does not exist/);
  });

  test('a non-UTF-8 requirements file names its line, other files are still linted', () => {
    const f = lintFiles({
      Dockerfile: `${S}COPY a.txt b.txt ./\nRUN pip install --no-cache-dir -r a.txt -r b.txt\n`,
      'a.txt': Buffer.from([0x6e, 0x75, 0x6d, 0x70, 0x79, 0x0a, 0xc3, 0x28, 0x0a]),
      'b.txt': 'torch\n',
    });
    expect(keys(f)).toEqual(['a.txt:2 unreadable-file', 'b.txt:1 cuda-torch']);
  });

  test('an -r include cycle is reported once and the rest is followed', () => {
    const f = lintFiles({
      Dockerfile: `${S}COPY *.txt /r/\nRUN pip install --no-cache-dir -r /r/a.txt\n`,
      'a.txt': '-r b.txt\n',
      'b.txt': '-r c.txt\n',
      'c.txt': '-r a.txt\ntorch\n',
    });
    expect(keys(f)).toEqual(['c.txt:1 unreadable-file', 'c.txt:2 cuda-torch']);
    expect(f.find((x) => x.rule === 'unreadable-file')!.message).toMatch(/a\.txt → b\.txt → c\.txt → a\.txt/);
  });

  test('a missing Dockerfile, or none at all', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ib-lint-'));
    expect(
      lintTarget({ root: dir, context: dir, dockerfile: path.join(dir, 'nope/Dockerfile') }).map(
        (x) => `${x.file} ${x.rule}`,
      ),
    ).toEqual(['nope/Dockerfile unreadable-file']);
    expect(lintTarget({ root: dir, context: dir }).map((x) => x.rule)).toEqual(['invalid-dockerfile']);
  });

  test('inline Dockerfile text (compose dockerfile_inline)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ib-lint-'));
    mkdirSync(path.join(dir, 'svc'));
    const f = lintTarget({
      root: dir,
      context: path.join(dir, 'svc'),
      dockerfileText: `${S}RUN pip install --no-cache-dir torch\n`,
      service: 'svc',
    });
    expect(f.map((x) => `${x.file}:${x.line} ${x.rule}`)).toEqual(['svc/dockerfile_inline:2 cuda-torch']);
  });

  test('random bytes and random Dockerfile-ish text never throw', () => {
    let seed = 42;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const atoms = [
      'FROM ',
      'RUN ',
      'COPY ',
      'ADD ',
      'ARG ',
      'ENV ',
      '<<EOF',
      'EOF',
      '\\\n',
      '\n',
      '"',
      "'",
      '$(',
      '${',
      '}',
      ')',
      'pip install ',
      '-r ',
      'torch ',
      '--from=',
      'AS ',
      'x ',
      '[',
      ']',
      '&& ',
      '# escape=`\n',
      '`',
      '\r\n',
      'python -c ',
      'sh -c ',
    ];
    for (let i = 0; i < 300; i++) {
      const text = Array.from({ length: 5 + rnd(40) }, () => atoms[rnd(atoms.length)]).join('');
      expect(() => lintFiles({ Dockerfile: text, 'requirements.txt': text })).not.toThrow();
    }
    for (let i = 0; i < 30; i++) {
      const bytes = Buffer.from(Array.from({ length: 1 + rnd(2000) }, () => rnd(256)));
      expect(() => lintFiles({ Dockerfile: bytes })).not.toThrow();
    }
  });
});

describe('findDockerfiles', () => {
  test('walks folders, skips node_modules and .git, takes Dockerfile variants', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ib-find-'));
    for (const p of [
      'Dockerfile',
      'svc/api.Dockerfile',
      'svc/Dockerfile.prod',
      'svc/Dockerfile.dockerignore',
      'node_modules/x/Dockerfile',
      '.git/Dockerfile',
      'docs/notes.md',
    ]) {
      mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      writeFileSync(path.join(dir, p), 'FROM x\n');
    }
    const found = findDockerfiles([dir, path.join(dir, 'docs/notes.md'), path.join(dir, 'missing')]).map(
      (p) => path.relative(dir, p),
    );
    expect(found).toEqual(['Dockerfile', 'docs/notes.md', 'svc/Dockerfile.prod', 'svc/api.Dockerfile']);
  });
});

describe('reads stay inside the build context and the repository', () => {
  const outside = mkdtempSync(path.join(tmpdir(), 'ib-outside-'));
  writeFileSync(path.join(outside, 'secret.txt'), 'torch==2.3.0+cu121\nTOP-SECRET-CONTENT\n');

  function repo(files: Record<string, string>, links: Record<string, string> = {}): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'ib-repo-'));
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), content);
    }
    for (const [name, target] of Object.entries(links)) symlinkSync(target, path.join(dir, name));
    return dir;
  }
  const lint = (dir: string) =>
    lintTarget({ root: dir, context: dir, dockerfile: path.join(dir, 'Dockerfile') });

  test('a requirements file that is a symlink out of the repository: one line, nothing quoted', () => {
    const dir = repo(
      { Dockerfile: `${S}COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n` },
      { 'requirements.txt': path.join(outside, 'secret.txt') },
    );
    const f = lint(dir);
    expect(keys(f)).toEqual(['3 unreadable-file']);
    expect(f[0]!.message).toMatch(/points outside the repository/);
    expect(JSON.stringify(f)).not.toMatch(/TOP-SECRET|cu121/);
  });

  test('`-r ../..` inside a requirements file is refused by name', () => {
    const dir = repo({
      Dockerfile: `${S}COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n`,
      'requirements.txt': `-r ../../../../../../../..${outside}/secret.txt\nflask\n`,
    });
    const f = lint(dir);
    expect(keys(f)).toEqual(['requirements.txt:1 unreadable-file']);
    expect(f[0]!.message).toMatch(/points outside the build context/);
  });

  test('a Dockerfile that is a symlink out of the repository is not read', () => {
    const dir = repo({}, { Dockerfile: path.join(outside, 'secret.txt') });
    const f = lint(dir);
    expect(f.map((x) => `${x.rule} ${x.severity}`)).toEqual(['unreadable-file error']);
    expect(JSON.stringify(f)).not.toMatch(/TOP-SECRET/);
  });

  test('a FIFO is refused with one line, without blocking', () => {
    const dir = repo({
      Dockerfile: `${S}COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n`,
    });
    execFileSync('mkfifo', [path.join(dir, 'requirements.txt')]);
    const f = lint(dir);
    expect(keys(f)).toEqual(['3 unreadable-file']);
    expect(f[0]!.message).toMatch(/not a regular file/);
  });

  test('a device is refused too', () => {
    const dir = repo({ Dockerfile: `${S}COPY run.sh .\nRUN bash run.sh\n` }, { 'run.sh': '/dev/zero' });
    const f = lint(dir);
    // /dev/zero is outside the repository before it is a device: refused either way, one line.
    expect(keys(f)).toEqual(['3 unreadable-file']);
  });

  test('credentials in a URL are masked in every finding', () => {
    const f = lintFiles({ Dockerfile: `${S}ADD https://bob:ghp_s3cret@example.com/tool.tar.gz /tmp/\n` });
    expect(keys(f)).toEqual(['2 remote-add']);
    expect(JSON.stringify(f)).not.toContain('ghp_s3cret');
    expect(f[0]!.message).toContain('https://***@example.com/');
  });
});

test('relative paths read the same files as absolute ones', () => {
  const abs = path.resolve('__fixtures__/lint/requirements-platform-markers');
  const rel = path.relative(process.cwd(), abs);
  const a = lintTarget({ root: abs, context: abs, dockerfile: path.join(abs, 'Dockerfile') });
  const r = lintTarget({ root: rel, context: rel, dockerfile: path.join(rel, 'Dockerfile') });
  expect(keys(r)).toEqual(keys(a));
  expect(keys(a)).toEqual(['requirements.txt:2 cuda-torch']);
});
