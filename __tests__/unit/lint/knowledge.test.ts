import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import {
  CLI_DOWNLOADERS,
  DOWNLOAD_URLS,
  MODULE_DOWNLOADERS,
  PYTHON_DOWNLOAD_CALLS,
} from '../../../src/lint/knowledge/downloaders.js';
import {
  argvDownload,
  maskUserinfo,
  moduleDownload,
  scanPython,
  weightUrlKind,
} from '../../../src/lint/analysis/downloads.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const page = readFileSync(path.join(repo, 'docs/rules/model-downloaders.md'), 'utf8');
const md = (s: string): string => s.replace(/\|/g, '\\|');

describe('the knowledge base of downloaders', () => {
  const entries = [...CLI_DOWNLOADERS, ...MODULE_DOWNLOADERS, ...PYTHON_DOWNLOAD_CALLS, ...DOWNLOAD_URLS];

  test.each(entries.map((e) => [e.what, e.docs]))(
    '%s names the page that documents it, listed in docs',
    (_w, docs) => {
      expect(docs).toMatch(/^https:\/\/[^\s]+$/);
      expect(page).toContain(`<${docs}>`);
    },
  );

  test.each(CLI_DOWNLOADERS.map((d) => [d.command, d]))('`%s` is listed and recognised', (command, d) => {
    expect(page).toContain(`| \`${command}\` |`);
    const argv = [command, ...(d.sub ? [d.sub[0]!] : []), ...(d.needs ? [d.needs, 'x'] : []), 'arg'];
    expect(argvDownload(argv)?.what).toBe(d.what);
  });

  test.each(MODULE_DOWNLOADERS.map((d) => [d.module, d]))(
    '`python -m %s` is listed and recognised',
    (module, d) => {
      expect(page).toContain(`| \`${module}\` |`);
      expect(moduleDownload(module, d.sub ? [d.sub[0]!] : [])).toBe(d.what);
    },
  );

  test.each(PYTHON_DOWNLOAD_CALLS.map((d) => [d.pattern.source, d]))('%s is listed', (source) => {
    expect(page).toContain(`\`${md(source)}\``);
  });

  test.each(DOWNLOAD_URLS.map((d) => [d.pattern.source]))('URL shape %s is listed', (source) => {
    expect(page).toContain(`\`${md(source)}\``);
  });

  test.each([
    ['https://huggingface.co/org/m/resolve/main/config.json', 'a Hugging Face model file'],
    ['https://drive.google.com/uc?id=1', 'a Google Drive file'],
    ['https://example.org/models/buffalo_l.zip', 'a model archive'],
    ['https://example.org/net.pth?download=1', 'model weights'],
    ['https://example.org/src/tool-1.2.tar.gz', undefined],
    ['https://mirror.example.net/asr/42/data_tones.tgz', 'a model or data set archive'],
    ['https://u.example.edu/x/sentence-transformers/v3/enc-small.zip', 'a model or data set archive'],
    ['https://z.example.org/rec/7/files/corpus.tar.gz?download=1', 'a model or data set archive'],
    ['https://data.example.org/pkg/tool-3.1.zip', undefined],
    ['https://example.org/pub/metadata-kit-2.0.tar.gz', undefined],
    ['https://example.org/tz/tzdata2024a.tar.gz', undefined],
    ['https://example.org/github/archive/refs/tags/v2.1.1.tar.gz', undefined],
    ['https://vec.example.com/cc.xx.300.bin.gz', 'a compressed weights or word-vectors file'],
    ['not a url.pth', undefined],
  ])('%s is %s', (url, kind) => {
    expect(weightUrlKind(url)).toBe(kind);
  });

  test('Python comment lines are not calls', () => {
    expect(scanPython('# SentenceTransformer("x")\nprint(1)\n')).toBeUndefined();
    expect(scanPython('import nltk\nnltk.download("punkt")\n')?.offset).toBe(12);
  });

  test('credentials in URLs are masked before they are quoted', () => {
    expect(maskUserinfo('git clone https://user:hf_token@huggingface.co/org/m')).toBe(
      'git clone https://***@huggingface.co/org/m',
    );
    expect(maskUserinfo('https://huggingface.co/org/m')).toBe('https://huggingface.co/org/m');
  });
});
