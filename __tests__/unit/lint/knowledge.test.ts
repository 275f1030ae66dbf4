import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import {
  CLI_DOWNLOADERS,
  DOWNLOAD_URLS,
  GIT_DOWNLOADERS,
  GIT_LFS_SETUP,
  MODEL_FOLDER,
  MODULE_DOWNLOADERS,
  PYTHON_DOWNLOAD_CALLS,
} from '../../../src/lint/knowledge/downloaders.js';
import {
  argvDownload,
  gitLfsSetup,
  maskUserinfo,
  skipsSmudge,
  moduleDownload,
  scanPython,
  weightUrlKind,
} from '../../../src/lint/analysis/downloads.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const page = readFileSync(path.join(repo, 'docs/rules/model-downloaders.md'), 'utf8');
const md = (s: string): string => s.replace(/\|/g, '\\|');

describe('the knowledge base of downloaders', () => {
  const entries = [
    ...CLI_DOWNLOADERS,
    ...MODULE_DOWNLOADERS,
    ...PYTHON_DOWNLOAD_CALLS,
    ...DOWNLOAD_URLS,
    ...GIT_DOWNLOADERS,
    { what: 'git lfs install', docs: GIT_LFS_SETUP.docs },
    { what: 'GIT_LFS_SKIP_SMUDGE', docs: GIT_LFS_SETUP.skipEnvDocs },
  ];

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

  test.each(GIT_DOWNLOADERS.map((d) => [`git ${d.sub.join(' ')}`, d.when, d]))(
    '`%s` (%s) is listed',
    (command, when, d) => {
      expect(page).toMatch(
        new RegExp(
          `\\| \`${command}\` \\| ${when}\\b[^|]*\\| ${d.what.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\|`,
        ),
      );
    },
  );

  test('the model folder shape is listed', () => {
    expect(page).toContain(`\`${MODEL_FOLDER.source}\``);
  });

  const OFF = { lfs: false, cwd: '/app' };
  const LFS = { lfs: true, cwd: '/app' };
  test.each<[string, string[], typeof OFF, string | undefined]>([
    ['git lfs pull', ['git', 'lfs', 'pull'], OFF, 'git lfs pull'],
    [
      'git lfs fetch after git options',
      ['git', '-C', '/srv/x', 'lfs', 'fetch', '--all'],
      OFF,
      'git lfs fetch',
    ],
    ['git lfs clone', ['git', 'lfs', 'clone', 'https://example.com/r'], OFF, 'git lfs clone'],
    [
      'a clone from the hub',
      ['git', 'clone', '--depth', '1', 'https://hf.co/org/m', '/m'],
      OFF,
      'model repository',
    ],
    [
      'a clone of code, no LFS',
      ['git', 'clone', '--depth', '1', 'https://github.com/org/tool', '/opt/tool'],
      OFF,
      undefined,
    ],
    [
      'a clone of code with LFS set up',
      ['git', 'clone', 'https://github.com/org/tool', '/opt/tool'],
      LFS,
      'after `git lfs install`',
    ],
    [
      'a clone into a model folder',
      ['git', 'clone', '-b', 'models', 'https://example.com/r', '/srv/models/r'],
      OFF,
      'model folder',
    ],
    [
      'a clone into a weights folder, relative',
      ['git', 'clone', 'https://example.com/r', 'weights'],
      OFF,
      'model folder',
    ],
    [
      'a clone into the working directory, a model folder',
      ['git', 'clone', 'https://example.com/r'],
      { lfs: false, cwd: '/models' },
      'model folder',
    ],
    ['a clone of a repository named models', ['git', 'clone', 'https://example.com/models'], OFF, undefined],
    [
      'a branch named models is not the folder',
      ['git', 'clone', '--branch', 'models', 'https://example.com/r', '/srv/r'],
      OFF,
      undefined,
    ],
    [
      'a folder name with model in a word',
      ['git', 'clone', 'https://example.com/r', '/srv/model-server'],
      OFF,
      undefined,
    ],
    ['not a clone', ['git', 'checkout', 'models'], LFS, undefined],
  ])('%s', (_name, argv, ctx, what) => {
    const hit = argvDownload(argv, ctx);
    if (what === undefined) expect(hit).toBeUndefined();
    else expect(hit?.what).toContain(what);
  });

  test.each<[string[], boolean | undefined]>([
    [['git', 'lfs', 'install'], true],
    [['git', 'lfs', 'install', '--system'], true],
    [['/usr/bin/git', 'lfs', 'install', '--skip-smudge'], false],
    [['git', 'lfs', 'uninstall'], false],
    [['git', 'lfs', 'pull'], undefined],
    [['apt-get', 'install', 'git-lfs'], undefined],
  ])('git lfs setup of %j is %s', (argv, want) => {
    expect(gitLfsSetup(argv)).toBe(want);
  });

  test.each<[string | null | undefined, boolean]>([
    ['1', true],
    ['true', true],
    ['0', false],
    ['false', false],
    ['', false],
    [null, false],
    [undefined, false],
  ])('GIT_LFS_SKIP_SMUDGE=%j skips the download: %s', (value, want) => {
    expect(skipsSmudge(value)).toBe(want);
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
