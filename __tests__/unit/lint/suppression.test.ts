import { describe, expect, test } from 'vitest';
import { S, keys, lintFiles } from './helpers.js';

describe('suppression, severity and custom patterns', () => {
  test('ignore comment covers a multi-line instruction and the file it pulls in', () => {
    const f = lintFiles({
      Dockerfile: `${S}COPY requirements.txt .\n# image-budget-ignore cuda-torch\nRUN pip install --no-cache-dir \\\n    -r requirements.txt\n`,
      'requirements.txt': 'torch\n',
    });
    expect(keys(f)).toEqual([]);
  });
  test('ignore comment in the requirements file', () => {
    const f = lintFiles({
      Dockerfile: `${S}COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n`,
      'requirements.txt': '# image-budget-ignore torch-via-dependency\nsentence-transformers\n',
    });
    expect(keys(f)).toEqual([]);
  });
  test('ignoring one rule leaves the others', () => {
    const f = lintFiles({ Dockerfile: `${S}# image-budget-ignore cuda-torch\nRUN pip install torch\n` });
    expect(keys(f)).toEqual(['3 package-cache-in-layer']);
  });
  test('per-rule severity and off', () => {
    const f = lintFiles(
      { Dockerfile: 'FROM debian\nRUN pip install --no-cache-dir torch\n' },
      {},
      { rules: { 'cuda-torch': 'warning', 'unpinned-base': 'off' } },
    );
    expect(f.map((x) => `${x.rule}:${x.severity}`)).toEqual(['cuda-torch:warning']);
  });
  test('custom patterns', () => {
    const f = lintFiles(
      { Dockerfile: `${S}RUN apt-get upgrade -y\n` },
      {},
      {
        patterns: [
          { id: 'no-apt-upgrade', regex: 'apt(-get)? upgrade', message: 'do not upgrade', severity: 'error' },
        ],
      },
    );
    expect(f.map((x) => `${x.file}:${x.line} ${x.rule} ${x.severity}`).sort()).toEqual([
      'Dockerfile:2 no-apt-upgrade error',
    ]);
  });
});
